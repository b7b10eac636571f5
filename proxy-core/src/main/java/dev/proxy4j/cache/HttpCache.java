package dev.proxy4j.cache;

import dev.proxy4j.filter.ProxyFilter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A shared HTTP cache: a {@link CacheStore} and how to use it. Routes share one cache (and its
 * memory bound); each gets its own {@link #filter(CacheKey) filter} with its own key.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.inMemory(64 * 1024 * 1024);
 * ProxyServer.builder().cache(cache)            // every route
 *     .route(r -> r.pathPrefix("/api").cache(CacheKey.builder().queryParams("page").build()) ...)
 * }</pre>
 *
 * Defaults and why: responses with Set-Cookie are not stored (a cookie meant for one client must
 * not reach the next; nginx does the same); the heuristic lifetime (10% of the time since
 * Last-Modified, RFC 9111 4.2.2) is capped at one day; concurrent misses for one key wait at most
 * 5 s for the first one's response before going to the backend themselves; the PURGE method is off.
 */
public final class HttpCache {

    public static final Duration DEFAULT_HEURISTIC_CAP = Duration.ofDays(1);
    public static final Duration DEFAULT_COLLAPSE_TIMEOUT = Duration.ofSeconds(5);
    /** The most keys with a request in flight that others wait for; past it, misses are not collapsed. */
    static final int MAX_IN_FLIGHT = 10_000;

    private final CacheStore store;
    private final long maxObjectBytes;
    private final boolean storeSetCookie;
    private final Duration heuristicCap;
    private final Duration collapseTimeout;
    private final boolean purgeMethod;
    private final String name;
    /** Keys whose miss or revalidation is being fetched: others wait on it. Removed when it completes. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    private HttpCache(Builder b, CacheStore store) {
        this.store = store;
        this.maxObjectBytes = b.maxObjectBytes != null ? b.maxObjectBytes
                : store.bounds().map(CacheStore.Bounds::maxObjectBytes).orElse(InMemoryCacheStore.DEFAULT_MAX_OBJECT_BYTES);
        this.storeSetCookie = b.storeSetCookie;
        this.heuristicCap = b.heuristicCap;
        this.collapseTimeout = b.collapseTimeout;
        this.purgeMethod = b.purgeMethod;
        this.name = b.name;
    }

    /** A cache in memory of at most {@code maxBytes} ({@link InMemoryCacheStore#of(long)}), with the defaults. */
    public static HttpCache inMemory(long maxBytes) {
        return builder().store(InMemoryCacheStore.of(maxBytes)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A filter for a route, with the default key. */
    public ProxyFilter filter() {
        return filter(CacheKey.defaults());
    }

    /** A filter for a route, with its own key. */
    public ProxyFilter filter(CacheKey key) {
        return new CacheFilter(this, Objects.requireNonNull(key, "key"));
    }

    public CacheStore store() {
        return store;
    }

    /** The largest body stored; larger ones stream to the client and are not stored. */
    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    public boolean storesSetCookie() {
        return storeSetCookie;
    }

    public Duration heuristicCap() {
        return heuristicCap;
    }

    public Duration collapseTimeout() {
        return collapseTimeout;
    }

    /** Whether a {@code PURGE} request removes its target's entry (answered 200, or 404 when none was stored). */
    public boolean purgeMethod() {
        return purgeMethod;
    }

    /** The cache's name in Cache-Status. */
    public String name() {
        return name;
    }

    /**
     * Removes the entry (and its variants) of a request with {@link CacheKey#defaults() the default key}
     * for {@code scheme://authority/pathAndQuery}, e.g. {@code purge("http", "example.com", "/a?b=1")}.
     */
    public CompletionStage<Boolean> purge(String scheme, String authority, String pathAndQuery) {
        var request = dev.proxy4j.http.ProxyRequest.builder().scheme(scheme).authority(authority)
                .pathAndQuery(pathAndQuery).build();
        return store.remove(CacheKey.defaults().of(request));
    }

    /**
     * Whether {@code other} is configured as this cache is: the same settings (largest object,
     * Set-Cookie, heuristic cap, collapse timeout, PURGE, name) and the same store, or two in-memory
     * stores of the same bounds. A reconfigured proxy keeps its running cache, entries and all, in
     * place of a new one with the same settings.
     */
    public boolean sameSettings(HttpCache other) {
        Objects.requireNonNull(other, "other");
        return maxObjectBytes == other.maxObjectBytes && storeSetCookie == other.storeSetCookie
                && heuristicCap.equals(other.heuristicCap) && collapseTimeout.equals(other.collapseTimeout)
                && purgeMethod == other.purgeMethod && name.equals(other.name) && sameStore(store, other.store);
    }

    private static boolean sameStore(CacheStore a, CacheStore b) {
        if (a.equals(b)) {
            return true;
        }
        if (!(a instanceof InMemoryCacheStore) || !(b instanceof InMemoryCacheStore)) {
            return false;
        }
        var x = a.bounds().orElse(null);
        var y = b.bounds().orElse(null);
        return x != null && y != null && x.maxBytes() == y.maxBytes() && x.maxObjectBytes() == y.maxObjectBytes();
    }

    /** Registers a fetch for {@code key}: null when this caller leads it, else the one to wait for. */
    @Nullable CompletableFuture<Void> lead(String key, CompletableFuture<Void> mine) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            return mine;
        }
        CompletableFuture<Void> earlier = inFlight.putIfAbsent(key, mine);
        if (earlier == null) {
            mine.whenComplete((ok, failure) -> inFlight.remove(key, mine));
        }
        return earlier;
    }

    /** Whether a fetch for {@code key} is in flight. */
    boolean fetching(String key) {
        return inFlight.containsKey(key);
    }

    @Override
    public String toString() {
        return "HttpCache[" + store + (storeSetCookie ? ", storeSetCookie" : "") + (purgeMethod ? ", purge" : "") + ']';
    }

    /** Builds an {@link HttpCache}; the store is required. */
    public static final class Builder {
        private @Nullable CacheStore store;
        private @Nullable Long maxObjectBytes;
        private boolean storeSetCookie;
        private Duration heuristicCap = DEFAULT_HEURISTIC_CAP;
        private Duration collapseTimeout = DEFAULT_COLLAPSE_TIMEOUT;
        private boolean purgeMethod;
        private String name = "proxy4j";

        private Builder() {
        }

        public Builder store(CacheStore store) {
            Objects.requireNonNull(store, "store");
            if (this.store != null) {
                throw new IllegalStateException("cache store was already set to " + this.store);
            }
            this.store = store;
            return this;
        }

        /** The largest body stored; default: the store's own bound, or 8 MiB. */
        public Builder maxObjectBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxObjectSize: " + bytes + " (expected: > 0)");
            }
            this.maxObjectBytes = bytes;
            return this;
        }

        /** Store responses that set cookies, without their Set-Cookie fields (the client that caused the fetch still gets them). */
        public Builder storeSetCookie(boolean store) {
            this.storeSetCookie = store;
            return this;
        }

        /** The cap on a heuristic lifetime; zero turns heuristic freshness off. */
        public Builder heuristicCap(Duration cap) {
            Objects.requireNonNull(cap, "heuristicCap");
            if (cap.isNegative()) {
                throw new IllegalArgumentException("heuristicCap: " + cap + " (expected: >= 0)");
            }
            this.heuristicCap = cap;
            return this;
        }

        /** How long a miss waits for another request's fetch of the same key; zero: misses are not collapsed. */
        public Builder collapseTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "collapseTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("collapseTimeout: " + timeout + " (expected: >= 0)");
            }
            this.collapseTimeout = timeout;
            return this;
        }

        /** Let {@code PURGE} requests remove entries; off by default: put access control in front of it. */
        public Builder purgeMethod(boolean on) {
            this.purgeMethod = on;
            return this;
        }

        /** The name in Cache-Status; default {@code proxy4j}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (!dev.proxy4j.internal.Checks.isToken(name)) {
                throw new IllegalArgumentException("name: \"" + name + "\" (expected: a token)");
            }
            this.name = name;
            return this;
        }

        public HttpCache build() {
            if (store == null) {
                throw new IllegalStateException("store: none (expected: a CacheStore, e.g. InMemoryCacheStore.of(64 MiB))");
            }
            return new HttpCache(this, store);
        }
    }
}
