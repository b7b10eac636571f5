package dev.proxy4j.cache;

import static dev.proxy4j.cache.CacheHarness.get;
import static dev.proxy4j.cache.CacheHarness.request;
import static dev.proxy4j.cache.CacheHarness.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.CacheHarness.Result;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** RFC 9111 3.2, 4.1, 4.3, 4.4; RFC 5861; RFC 9110 14 and 13 answered from the store. */
class CacheValidationTest {

    private final CacheHarness h = new CacheHarness();

    @Test
    void aStaleResponseIsRevalidatedWithItsValidatorsAndThe304UpdatesItsHeaders() {
        String lastModified = CacheHarness.date(CacheHarness.T0.minusSeconds(3600));
        h.answers(200, "body", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "Last-Modified", lastModified,
                "X-Version", "1", "Content-Length", "4");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(304, "", "Cache-Control", "max-age=100", "ETag", "\"v1\"", "X-Version", "2", "Content-Length", "0");

        Result validated = h.send(get("/a"));
        Result hit = h.send(get("/a"));

        assertThat(h.received.get(1).headers().get("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(h.received.get(1).headers().get("If-Modified-Since")).isEqualTo(lastModified);
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.body()).isEqualTo("body");
        assertThat(validated.header("X-Version")).isEqualTo("2");
        assertThat(hit.cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
        assertThat(hit.header("X-Version")).isEqualTo("2");
        assertThat(hit.header("Content-Length")).as("a 304 never replaces Content-Length").isNull();
        assertThat(hit.body()).isEqualTo("body");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void a304AboutAnotherRepresentationDoesNotUpdateTheStoredOne() {
        h.answers(200, "body", "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(304, "", "Cache-Control", "max-age=100", "ETag", "\"v2\"");

        Result answered = h.send(get("/a"));

        assertThat(answered.cacheStatus()).contains("detail=validator-mismatch");
        h.answers(200, "new", "Cache-Control", "max-age=100", "ETag", "\"v2\"");
        assertThat(h.send(get("/a")).body()).isEqualTo("new");
        assertThat(h.received).hasSize(3);
    }

    @Test
    void aFullResponseToTheRevalidationReplacesTheStoredOne() {
        h.answers(200, "old", "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(200, "new", "Cache-Control", "max-age=100", "ETag", "\"v2\"");

        assertThat(h.send(get("/a")).body()).isEqualTo("new");
        assertThat(h.send(get("/a")).body()).isEqualTo("new");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void clientsConditionalRequestsAreAnswered304FromTheCache() {
        String lastModified = CacheHarness.date(CacheHarness.T0.minusSeconds(3600));
        h.answers(200, "body", "Cache-Control", "max-age=60", "ETag", "W/\"v1\"", "Last-Modified", lastModified);
        h.send(get("/a"));

        Result etag = h.send(get("/a", "If-None-Match", "\"other\", \"v1\""));
        Result other = h.send(get("/a", "If-None-Match", "\"other\""));
        Result since = h.send(get("/a", "If-Modified-Since", lastModified));
        Result older = h.send(get("/a", "If-Modified-Since", CacheHarness.date(CacheHarness.T0.minusSeconds(7200))));

        assertThat(etag.status()).isEqualTo(304);
        assertThat(etag.body()).isEmpty();
        assertThat(etag.header("ETag")).isEqualTo("W/\"v1\"");
        assertThat(etag.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(other.status()).isEqualTo(200);
        assertThat(since.status()).isEqualTo(304);
        assertThat(older.status()).isEqualTo(200);
        assertThat(h.received).hasSize(1);
    }

    @Test
    void varyKeepsOneVariantPerSelectingHeaderValue() {
        h.origin = request -> CompletableFuture.completedFuture(response(200,
                "lang " + request.headers().get("Accept-Language"), "Cache-Control", "max-age=60",
                "Vary", "Accept-Language"));

        assertThat(h.send(get("/a", "Accept-Language", "en")).body()).isEqualTo("lang en");
        assertThat(h.send(get("/a", "Accept-Language", "fr")).cacheStatus()).isEqualTo("proxy4j; fwd=vary-miss; stored");
        Result en = h.send(get("/a", "Accept-Language", "en"));
        Result fr = h.send(get("/a", "accept-language", "fr"));

        assertThat(en.body()).isEqualTo("lang en");
        assertThat(en.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(fr.body()).isEqualTo("lang fr");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void varyStarIsNotStored() {
        h.answers(200, "x", "Cache-Control", "max-age=60", "Vary", "*");

        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; detail=vary-star");
        h.send(get("/a"));
        assertThat(h.received).hasSize(2);
    }

    @Test
    void anUnsafeRequestInvalidatesItsTargetAndSameOriginLocations() {
        h.origin = request -> CompletableFuture.completedFuture(response(200, request.path(), "Cache-Control", "max-age=60"));
        h.send(get("/a"));
        h.send(get("/b"));
        h.send(get("/c"));
        h.origin = request -> CompletableFuture.completedFuture(response(201, "", "Location", "/b",
                "Content-Location", "http://other.example/c"));

        h.send(request("POST", "/a"));
        h.origin = request -> CompletableFuture.completedFuture(response(200, request.path(), "Cache-Control", "max-age=60"));
        int before = h.received.size();
        h.send(get("/a"));
        h.send(get("/b"));
        Result c = h.send(get("/c"));

        assertThat(h.received.size() - before).as("/a and /b refetched").isEqualTo(2);
        assertThat(c.cacheStatus()).as("another origin's Content-Location is not trusted").startsWith("proxy4j; hit");
    }

    @Test
    void anErrorResponseToAnUnsafeRequestInvalidatesNothing() {
        h.answers(200, "x", "Cache-Control", "max-age=60");
        h.send(get("/a"));
        h.answers(500, "");

        h.send(request("DELETE", "/a"));

        assertThat(h.send(get("/a")).cacheStatus()).startsWith("proxy4j; hit");
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheBackendFailsOrAnswers5xx() {
        h.answers(200, "kept", "Cache-Control", "max-age=10, stale-if-error=60", "ETag", "\"e\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(30));
        h.answers(503, "busy");

        Result on503 = h.send(get("/a"));
        h.origin = request -> CompletableFuture.failedFuture(new IllegalStateException("refused"));
        Result onFailure = h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(60));
        boolean failedPastWindow = h.start(get("/a")).toCompletableFuture().isCompletedExceptionally();

        assertThat(on503.body()).isEqualTo("kept");
        assertThat(on503.cacheStatus()).isEqualTo("proxy4j; hit; ttl=-20; detail=stale-if-error");
        assertThat(onFailure.body()).isEqualTo("kept");
        assertThat(failedPastWindow).as("past the window the failure is the client's").isTrue();
    }

    @Test
    void staleIfErrorInTheRequestCountsButMustRevalidateForbidsIt() {
        h.answers(200, "kept", "Cache-Control", "max-age=10", "ETag", "\"e\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(30));
        h.answers(502, "bad");
        assertThat(h.send(get("/a", "Cache-Control", "stale-if-error=100")).body()).isEqualTo("kept");
        assertThat(h.send(get("/a")).status()).isEqualTo(502);

        CacheHarness strict = new CacheHarness();
        strict.answers(200, "kept", "Cache-Control", "max-age=10, must-revalidate, stale-if-error=60", "ETag", "\"e\"");
        strict.send(get("/a"));
        strict.clock.advance(Duration.ofSeconds(30));
        strict.answers(500, "err");
        Result error = strict.send(get("/a"));
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.cacheStatus()).isEqualTo("proxy4j; fwd=stale; fwd-status=500");
    }

    @Test
    void staleWhileRevalidateServesStaleWhileOneBackgroundRevalidationRuns() {
        h.answers(200, "v1", "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(15));
        CompletableFuture<ProxyResponse> backend = new CompletableFuture<>();
        h.origin = request -> backend;

        Result first = h.send(get("/a"));
        Result second = h.send(get("/a"));

        assertThat(first.body()).isEqualTo("v1");
        assertThat(first.cacheStatus()).isEqualTo("proxy4j; hit; ttl=-5; detail=stale-while-revalidate");
        assertThat(second.body()).isEqualTo("v1");
        assertThat(h.received).as("one background revalidation").hasSize(2);
        assertThat(h.received.get(1).headers().get("If-None-Match")).isEqualTo("\"1\"");

        backend.complete(response(200, "v2", "Cache-Control", "max-age=10", "ETag", "\"2\""));
        Result after = h.send(get("/a"));
        assertThat(after.body()).isEqualTo("v2");
        assertThat(after.cacheStatus()).startsWith("proxy4j; hit");
    }

    @Test
    void theBackgroundRevalidationIsDetachedFromTheClientsExchange() {
        h.answers(200, "v1", "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(15));
        CompletableFuture<ProxyResponse> backend = new CompletableFuture<>();
        java.util.List<String> how = new java.util.ArrayList<>();
        var ctx = h.ctx();

        ProxyResponse stale = h.filter.filter(ctx, get("/a"), new dev.proxy4j.filter.FilterChain() {
            @Override
            public java.util.concurrent.CompletionStage<ProxyResponse> proceed(dev.proxy4j.http.ProxyRequest request) {
                how.add("attached");
                return backend;
            }

            @Override
            public java.util.concurrent.CompletionStage<ProxyResponse> proceedDetached(
                    dev.proxy4j.http.ProxyRequest request) {
                how.add("detached");
                return backend;
            }
        }).toCompletableFuture().join();

        assertThat(CacheHarness.read(stale).body()).isEqualTo("v1");
        assertThat(how).containsExactly("detached");
        assertThat(ctx.pendingWork()).as("the client's exchange may end while the revalidation is out").isDone();
        backend.complete(response(304, "", "ETag", "\"1\"", "Cache-Control", "max-age=100"));
        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
    }

    @Test
    void aBackgroundRevalidationLeadsUntilItsUpdateIsInTheStoreNotOnlyUntilThe304() {
        // A store whose puts complete later (Redis): the 304's update is on its way for a while.
        HeldPuts store = new HeldPuts(InMemoryCacheStore.of(1 << 20, 1024));
        CacheHarness held = staleIn(store);
        held.answers(304, "", "ETag", "\"1\"", "Cache-Control", "max-age=100");

        assertThat(held.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; hit; ttl=-5; detail=stale-while-revalidate");
        assertThat(store.pending()).as("the 304's update, not stored yet").isEqualTo(1);
        Result during = held.send(get("/a"));

        assertThat(during.cacheStatus()).isEqualTo("proxy4j; hit; ttl=-5; detail=stale-while-revalidate");
        assertThat(held.received).as("no second revalidation while the first one's update is being stored").hasSize(2);
        store.release();
        assertThat(held.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
        assertThat(held.received).hasSize(2);
    }

    @Test
    void aBackgroundRevalidationLeadsUntilAFullResponseIsCommittedNotOnlyUntilItsBodyIsRead() {
        HeldPuts store = new HeldPuts(InMemoryCacheStore.of(1 << 20, 1024));
        CacheHarness held = staleIn(store);
        held.answers(200, "v2", "Cache-Control", "max-age=100", "ETag", "\"2\"");

        assertThat(held.send(get("/a")).body()).isEqualTo("v1");
        assertThat(store.pending()).as("v2's commit, not done yet").isEqualTo(1);
        Result during = held.send(get("/a"));

        assertThat(during.body()).isEqualTo("v1");
        assertThat(held.received).as("no second revalidation while the first one's response is being stored").hasSize(2);
        store.release();
        Result after = held.send(get("/a"));
        assertThat(after.body()).isEqualTo("v2");
        assertThat(after.cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
    }

    /** A harness over {@code store} holding /a as v1, stored and now 5 s stale, within its stale-while-revalidate. */
    private static CacheHarness staleIn(HeldPuts store) {
        CacheHarness held = new CacheHarness(HttpCache.builder().store(store), CacheKey.defaults());
        held.answers(200, "v1", "Cache-Control", "max-age=10, stale-while-revalidate=30", "ETag", "\"1\"");
        held.send(get("/a"));
        store.release();
        held.clock.advance(Duration.ofSeconds(15));
        return held;
    }

    /** A store whose {@code put}s and commits wait for {@link #release()} before they reach the store under it. */
    private static final class HeldPuts implements CacheStore {
        private final CacheStore store;
        private final java.util.List<Runnable> held = new java.util.ArrayList<>();

        HeldPuts(CacheStore store) {
            this.store = store;
        }

        int pending() {
            return held.size();
        }

        void release() {
            java.util.List<Runnable> now = java.util.List.copyOf(held);
            held.clear();
            now.forEach(Runnable::run);
        }

        @Override
        public java.util.concurrent.CompletionStage<java.util.Optional<CacheEntry>> get(String key) {
            return store.get(key);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> put(String key, CacheEntry entry) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            held.add(() -> store.put(key, entry).whenComplete((ok, f) -> done.complete(null)));
            return done;
        }

        @Override
        public java.util.concurrent.CompletionStage<Boolean> remove(String key) {
            return store.remove(key);
        }

        @Override
        public Writer open(String key, StoredHead head) {
            Writer writer = store.open(key, head);
            return new Writer() {
                @Override
                public boolean write(java.nio.ByteBuffer bytes) {
                    return writer.write(bytes);
                }

                @Override
                public java.util.concurrent.CompletionStage<Boolean> commit() {
                    CompletableFuture<Boolean> done = new CompletableFuture<>();
                    held.add(() -> writer.commit().whenComplete((ok, f) -> done.complete(ok)));
                    return done;
                }

                @Override
                public void abort() {
                    writer.abort();
                }
            };
        }
    }

    @Test
    void pastTheStaleWhileRevalidateWindowTheClientWaitsForTheRevalidation() {
        h.answers(200, "v1", "Cache-Control", "max-age=10, stale-while-revalidate=5", "ETag", "\"1\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(30));
        h.answers(304, "", "ETag", "\"1\"");

        assertThat(h.send(get("/a")).cacheStatus()).startsWith("proxy4j; fwd=stale; fwd-status=304");
    }

    @Test
    void aSingleRangeIsAnsweredFromAStoredResponse() {
        h.answers(200, "0123456789", "Cache-Control", "max-age=60", "ETag", "\"r\"");
        h.send(get("/a"));

        Result middle = h.send(get("/a", "Range", "bytes=2-4"));
        Result suffix = h.send(get("/a", "Range", "bytes=-3"));
        Result open = h.send(get("/a", "Range", "bytes=7-"));
        Result beyond = h.send(get("/a", "Range", "bytes=10-20"));
        Result several = h.send(get("/a", "Range", "bytes=0-1, 3-4"));
        Result staleIfRange = h.send(get("/a", "Range", "bytes=0-1", "If-Range", "\"old\""));

        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo("234");
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 2-4/10");
        assertThat(suffix.body()).isEqualTo("789");
        assertThat(open.body()).isEqualTo("789");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */10");
        assertThat(several.status()).as("several ranges: the whole").isEqualTo(200);
        assertThat(staleIfRange.status()).isEqualTo(200);
        assertThat(h.received).hasSize(1);
    }

    @Test
    void concurrentMissesForOneKeyMakeOneBackendRequest() {
        CompletableFuture<ProxyResponse> backend = new CompletableFuture<>();
        h.origin = request -> backend;

        CompletableFuture<ProxyResponse> leader = h.start(get("/a")).toCompletableFuture();
        CompletableFuture<ProxyResponse> follower = h.start(get("/a")).toCompletableFuture();
        assertThat(follower).isNotDone();
        backend.complete(response(200, "shared", "Cache-Control", "max-age=60"));
        assertThat(CacheHarness.read(leader.join()).body()).isEqualTo("shared");

        Result followed = CacheHarness.read(follower.join());
        assertThat(followed.body()).isEqualTo("shared");
        assertThat(followed.cacheStatus()).isEqualTo("proxy4j; hit; ttl=60; collapsed");
        assertThat(h.received).hasSize(1);
    }

    @Test
    void aWaitingMissGoesToTheBackendItselfWhenTheWaitEnds() {
        CompletableFuture<ProxyResponse> slow = new CompletableFuture<>();
        h.origin = request -> h.received.size() == 1 ? slow
                : CompletableFuture.completedFuture(response(200, "own", "Cache-Control", "max-age=60"));

        h.start(get("/a"));
        CompletableFuture<ProxyResponse> follower = h.start(get("/a")).toCompletableFuture();
        // the follower's bounded wait ends (its timer fires)
        h.timers.get(h.timers.size() - 1).run();

        assertThat(CacheHarness.read(follower.join()).body()).isEqualTo("own");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void aNotStorableLeaderReleasesItsFollowersToTheBackend() {
        CompletableFuture<ProxyResponse> first = new CompletableFuture<>();
        h.origin = request -> h.received.size() == 1 ? first
                : CompletableFuture.completedFuture(response(200, "mine", "Cache-Control", "private"));

        h.start(get("/a"));
        CompletableFuture<ProxyResponse> follower = h.start(get("/a")).toCompletableFuture();
        first.complete(response(200, "private", "Cache-Control", "private"));

        assertThat(CacheHarness.read(follower.join()).body()).isEqualTo("mine");
    }

    @Test
    void purgeIsOffByDefaultAndRemovesTheEntryWhenOn() {
        h.answers(200, "x", "Cache-Control", "max-age=60");
        h.send(get("/a"));
        h.answers(405, "");
        assertThat(h.send(request("PURGE", "/a")).status()).as("forwarded: purge is off").isEqualTo(405);

        CacheHarness on = new CacheHarness(HttpCache.builder().purgeMethod(true).store(InMemoryCacheStore.of(1 << 20)),
                CacheKey.defaults());
        on.answers(200, "x", "Cache-Control", "max-age=60");
        on.send(get("/a"));
        assertThat(on.send(request("PURGE", "/a")).status()).isEqualTo(200);
        assertThat(on.send(request("PURGE", "/a")).status()).isEqualTo(404);
        on.send(get("/a"));
        assertThat(on.received).hasSize(2);
        assertThat(on.cache.purge("http", "example.com", "/a").toCompletableFuture().join()).isTrue();
    }

    @Test
    void aRouteKeyCanKeepSelectedQueryParametersAndAddHeaders() {
        CacheHarness keyed = new CacheHarness(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)),
                CacheKey.builder().queryParams("page", "size").header("X-Tenant").build());
        keyed.answers(200, "x", "Cache-Control", "max-age=60");

        keyed.send(get("/a?page=1&size=2&utm=x", "X-Tenant", "a"));
        keyed.send(get("/a?size=2&page=1&utm=y", "X-Tenant", "a"));
        keyed.send(get("/a?page=1&size=2", "X-Tenant", "b"));

        assertThat(keyed.received).hasSize(2);
        assertThat(Headers.of("A", "1").get("a")).isEqualTo("1");
    }
}
