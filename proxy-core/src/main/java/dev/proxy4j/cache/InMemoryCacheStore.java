package dev.proxy4j.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link CacheStore} in the JVM's heap, on Caffeine: bounded in bytes (each entry weighed as
 * {@link CacheEntry#weight()}), evicting by Caffeine's W-TinyLFU, with a largest object size: a body
 * that grows past it is dropped as it streams (never buffered whole). Every stage completes at once;
 * Caffeine's maintenance runs on the calling thread, which it keeps short.
 */
public final class InMemoryCacheStore implements CacheStore {

    /** The default largest object: nginx's proxy_cache has none, Varnish's transient store none either; 8 MiB keeps one object from taking a small cache. */
    public static final long DEFAULT_MAX_OBJECT_BYTES = 8L * 1024 * 1024;

    private final Cache<String, CacheEntry> entries;
    private final long maxBytes;
    private final long maxObjectBytes;

    private InMemoryCacheStore(long maxBytes, long maxObjectBytes) {
        this.maxBytes = maxBytes;
        this.maxObjectBytes = maxObjectBytes;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, CacheEntry entry) -> (int) Math.min(Integer.MAX_VALUE,
                        entry.weight() + 2L * key.length()))
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** A store of at most {@code maxBytes}, whose largest body is the smaller of 8 MiB and an eighth of it. */
    public static InMemoryCacheStore of(long maxBytes) {
        checkPositive("maxBytes", maxBytes);
        return new InMemoryCacheStore(maxBytes, Math.min(DEFAULT_MAX_OBJECT_BYTES, Math.max(1, maxBytes / 8)));
    }

    /** A store of at most {@code maxBytes} whose largest body is {@code maxObjectBytes}. */
    public static InMemoryCacheStore of(long maxBytes, long maxObjectBytes) {
        checkPositive("maxBytes", maxBytes);
        checkPositive("maxObjectBytes", maxObjectBytes);
        if (maxObjectBytes > maxBytes) {
            throw new IllegalArgumentException("maxObjectBytes: " + maxObjectBytes + " (expected: <= maxBytes "
                    + maxBytes + ")");
        }
        return new InMemoryCacheStore(maxBytes, maxObjectBytes);
    }

    private static void checkPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    @Override
    public CompletionStage<Optional<CacheEntry>> get(String key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(entries.getIfPresent(key)));
    }

    @Override
    public CompletionStage<Void> put(String key, CacheEntry entry) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(entry, "entry");
        if (entry.length() <= maxObjectBytes) {
            entries.put(key, entry);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> remove(String key) {
        return CompletableFuture.completedFuture(entries.asMap().remove(key) != null);
    }

    @Override
    public Writer open(String key, StoredHead head) {
        return new BufferingWriter(Objects.requireNonNull(key, "key"), Objects.requireNonNull(head, "head"));
    }

    @Override
    public Optional<Stats> stats() {
        CacheStats stats = entries.stats();
        return Optional.of(new Stats(stats.hitCount(), stats.missCount(), stats.evictionCount()));
    }

    @Override
    public Optional<Bounds> bounds() {
        long current = entries.policy().eviction().flatMap(e -> {
            var weighted = e.weightedSize();
            return weighted.isPresent() ? Optional.of(weighted.getAsLong()) : Optional.empty();
        }).orElse(0L);
        return Optional.of(new Bounds(maxBytes, maxObjectBytes, current));
    }

    /** Runs Caffeine's pending maintenance (evictions): for tests that look at the size. */
    public void cleanUp() {
        entries.cleanUp();
    }

    @Override
    public String toString() {
        return "InMemoryCacheStore[maxBytes=" + maxBytes + ", maxObjectBytes=" + maxObjectBytes + ']';
    }

    /** Keeps the pieces until commit; drops them once they pass the largest object size. */
    private final class BufferingWriter implements Writer {
        private final String key;
        private final StoredHead head;
        private List<ByteBuffer> pieces = new ArrayList<>();
        private long size;
        private boolean done;

        BufferingWriter(String key, StoredHead head) {
            this.key = key;
            this.head = head;
        }

        @Override
        public synchronized boolean write(ByteBuffer bytes) {
            if (done) {
                return false;
            }
            size += bytes.remaining();
            if (size > maxObjectBytes) {
                abort();
                return false;
            }
            pieces.add(bytes);
            return true;
        }

        @Override
        public synchronized CompletionStage<Boolean> commit() {
            if (done) {
                return CompletableFuture.completedFuture(false);
            }
            done = true;
            ByteBuffer body = ByteBuffer.allocate((int) size);
            for (ByteBuffer piece : pieces) {
                body.put(piece);
            }
            pieces = List.of();
            entries.put(key, new CacheEntry(head, body.flip()));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public synchronized void abort() {
            done = true;
            pieces = List.of();
        }
    }
}
