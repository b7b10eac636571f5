package dev.proxy4j.cache;

import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.BodySink;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a backend's response while it streams to the client (a tee into a store writer, limited to
 * the largest object size), when RFC 9111 3 allows it, and marks it in Cache-Status either way.
 */
final class Storing {
    private static final Logger LOG = LoggerFactory.getLogger(Storing.class);

    private Storing() {
    }

    /**
     * The response as the client gets it. {@code done}, when given, completes once the body is stored or
     * given up on (waiters for the same key then look again); {@code hadEntry}: a stored response was
     * found and is to be removed when this one may not replace it.
     */
    static ProxyResponse store(HttpCache cache, CacheFilter.Lookup at, CacheControl rcc, ProxyResponse response,
            Instant requestTime, String fwd, @Nullable CompletableFuture<Void> done, boolean hadEntry) {
        Instant responseTime = at.ctx().clock().instant();
        Headers headers = response.headers();
        int status = response.status();
        String why = Storability.whyNot(at.request(), rcc, status, headers, cache.storesSetCookie());
        StoredHead head = null;
        if (why == null) {
            head = new StoredHead(status, storedHeaders(headers), requestTime, max(requestTime, responseTime));
            if (Freshness.lifetime(head, cache.heuristicCap()) == 0 && !Validators.hasValidator(headers)
                    && !CacheControl.of(headers).has("stale-if-error")) {
                why = "no-freshness";
            } else if (response.body().length() > cache.maxObjectBytes()) {
                why = "too-large";
            }
        }
        if (why != null || head == null) {
            if (done != null) {
                done.complete(null);
            }
            if (hadEntry && status != 304 && status != 206 && at.request().method().equals("GET")) {
                cache.store().remove(at.storeKey());
            }
            return response.toBuilder()
                    .headers(CacheStatus.append(headers, cache.name(), CacheStatus.notStored(fwd, why)))
                    .build();
        }
        String storeKey = at.key();
        CacheEntry newIndex = null;
        List<String> vary = Variants.fields(headers);
        if (!vary.isEmpty()) {
            String joined = String.join(", ", vary);
            CacheEntry index = at.varyIndex();
            if (index == null || !Variants.fields(index.head().headers()).equals(vary)) {
                String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
                index = new CacheEntry(StoredHead.varyIndex(joined, id, responseTime), ByteBuffer.allocate(0));
                newIndex = index;
            }
            storeKey = Variants.key(at.key(), index.head().headers(), at.request().headers());
        }
        CacheStore.Writer writer = cache.store().open(storeKey, head);
        BodySink sink = new StoreSink(cache.store(), writer, at.key(), newIndex, done);
        return response.toBuilder()
                .headers(CacheStatus.append(headers, cache.name(),
                        CacheStatus.forwarded(fwd, response.body().length() >= 0)))
                .body(Bodies.tee(response.body(), sink, cache.maxObjectBytes()))
                .build();
    }

    /** What is stored of a response's headers: not Set-Cookie, not the fields a qualified private names. */
    static Headers storedHeaders(Headers headers) {
        Headers.Builder b = headers.toBuilder().remove("Set-Cookie").remove("Set-Cookie2");
        for (String field : CacheControl.of(headers).fieldNames("private")) {
            b.remove(field);
        }
        return b.build();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Feeds a store writer; commits at the end, then the Vary index, then releases the waiters. */
    private static final class StoreSink implements BodySink {
        private final CacheStore store;
        private final CacheStore.Writer writer;
        private final String primaryKey;
        private final @Nullable CacheEntry newIndex;
        private final @Nullable CompletableFuture<Void> done;
        private boolean gaveUp;

        StoreSink(CacheStore store, CacheStore.Writer writer, String primaryKey, @Nullable CacheEntry newIndex,
                @Nullable CompletableFuture<Void> done) {
            this.store = store;
            this.writer = writer;
            this.primaryKey = primaryKey;
            this.newIndex = newIndex;
            this.done = done;
        }

        @Override
        public void write(ByteBuffer copy) {
            if (!gaveUp && !writer.write(copy)) {
                gaveUp = true;
                release();
            }
        }

        @Override
        public void complete(@Nullable Headers trailers) {
            if (gaveUp) {
                return;
            }
            writer.commit().thenCompose(stored -> {
                if (Boolean.TRUE.equals(stored) && newIndex != null) {
                    return store.put(primaryKey, newIndex);
                }
                return CompletableFuture.completedFuture(null);
            }).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("Cache store failed to store an entry", failure);
                }
                release();
            });
        }

        @Override
        public void abort(Throwable cause) {
            writer.abort();
            release();
        }

        private void release() {
            if (done != null) {
                done.complete(null);
            }
        }
    }
}
