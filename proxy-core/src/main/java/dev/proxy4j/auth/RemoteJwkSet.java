package dev.proxy4j.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.proxy4j.time.Ticker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWK set at a URL, fetched asynchronously ({@link JwksFetcher}), held as an immutable list swapped
 * at once. The set is refreshed in the background once it is within {@code refreshAhead} of its
 * {@code cacheDuration}; a token naming a key id the set lacks asks for one refresh; every fetch is
 * at least {@code minRefreshInterval} after the one before (a flood of made-up key ids costs one
 * fetch per interval). A failed fetch keeps the last good set and is logged once per failure.
 */
final class RemoteJwkSet {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwkSet.class);

    private final URI uri;
    private final Duration cacheDuration;
    private final Duration refreshAhead;
    private final Duration minRefreshInterval;
    private final Duration timeout;
    private final Ticker ticker;
    private final JwksFetcher fetcher;
    private final AtomicLong fetches = new AtomicLong();

    private volatile @Nullable Loaded loaded;
    /** Guarded by {@code this}: the fetch under way, and when the last one began. */
    private @Nullable CompletableFuture<List<JWK>> inFlight;
    private boolean started;
    private long lastStartNanos;

    private record Loaded(List<JWK> keys, long fetchedAtNanos) {
    }

    RemoteJwkSet(URI uri, Duration cacheDuration, Duration refreshAhead, Duration minRefreshInterval, Duration timeout,
            Ticker ticker, JwksFetcher fetcher) {
        this.uri = uri;
        this.cacheDuration = cacheDuration;
        this.refreshAhead = refreshAhead;
        this.minRefreshInterval = minRefreshInterval;
        this.timeout = timeout;
        this.ticker = ticker;
        this.fetcher = fetcher;
    }

    URI uri() {
        return uri;
    }

    /** How many fetches were started. */
    long fetches() {
        return fetches.get();
    }

    /** Starts the first fetch unless one was started already; the stage completes with the keys then held. */
    CompletionStage<List<JWK>> prefetch() {
        CompletableFuture<List<JWK>> f = refresh();
        return f != null ? f : CompletableFuture.completedFuture(held());
    }

    /**
     * The keys to check a token against: those held (a background refresh is started when they are
     * near their end), or, before the first fetch has completed, that fetch.
     */
    CompletionStage<List<JWK>> keys() {
        Loaded l = loaded;
        if (l == null) {
            CompletableFuture<List<JWK>> f = refresh();
            return f != null ? f : CompletableFuture.completedFuture(List.of());
        }
        if (ticker.nanos() - l.fetchedAtNanos >= cacheDuration.minus(refreshAhead).toNanos()) {
            refresh();
        }
        return CompletableFuture.completedFuture(l.keys);
    }

    /** A token named a key id the set lacks: one refresh, or null when the rate limit allows none now. */
    @Nullable CompletionStage<List<JWK>> refreshForUnknownKey() {
        return refresh();
    }

    private List<JWK> held() {
        Loaded l = loaded;
        return l == null ? List.of() : l.keys;
    }

    /** The fetch under way, a new one, or null when the last began less than minRefreshInterval ago. */
    private @Nullable CompletableFuture<List<JWK>> refresh() {
        CompletableFuture<List<JWK>> f;
        synchronized (this) {
            if (inFlight != null) {
                return inFlight;
            }
            long now = ticker.nanos();
            if (started && now - lastStartNanos < minRefreshInterval.toNanos()) {
                return null;
            }
            started = true;
            lastStartNanos = now;
            f = new CompletableFuture<>();
            inFlight = f;
        }
        fetches.incrementAndGet();
        CompletionStage<String> fetch;
        try {
            fetch = fetcher.fetch(uri, timeout);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        // Completes on the fetcher's thread; the filter brings the request back to its loop.
        fetch.whenComplete((body, failure) -> {
            List<JWK> keys = null;
            if (failure == null) {
                try {
                    keys = publicKeys(JWKSet.parse(body));
                } catch (java.text.ParseException e) {
                    failure = e;
                }
            }
            if (keys != null) {
                loaded = new Loaded(keys, ticker.nanos());
                LOG.debug("JWK set from {}: {} keys", uri, keys.size());
            } else {
                LOG.warn("JWK set from {} could not be fetched, keeping the {} keys held: {}", uri, held().size(),
                        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause().toString() : String.valueOf(failure));
            }
            synchronized (this) {
                inFlight = null;
            }
            f.complete(keys != null ? keys : held());
        });
        return f;
    }

    /** The public halves only: a published set has no private parts, and none is kept if it had. */
    static List<JWK> publicKeys(JWKSet set) {
        List<JWK> keys = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            JWK pub = key.toPublicJWK();
            keys.add(pub != null ? pub : key);
        }
        return List.copyOf(keys);
    }

    @Override
    public String toString() {
        return "JWKS " + uri;
    }
}
