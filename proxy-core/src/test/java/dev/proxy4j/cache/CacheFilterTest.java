package dev.proxy4j.cache;

import static dev.proxy4j.cache.CacheHarness.get;
import static dev.proxy4j.cache.CacheHarness.request;
import static dev.proxy4j.cache.CacheHarness.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.CacheHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 9111 4 (constructing responses from caches) and 4.2.4 (serving stale), through the filter. */
class CacheFilterTest {

    private final CacheHarness h = new CacheHarness();

    @Test
    void aStoredResponseIsServedWithAgeAndCacheStatusWithoutTheBackend() {
        h.answers(200, "hello", "Cache-Control", "max-age=60", "Date", h.now(), "Content-Type", "text/plain");

        Result miss = h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(10));
        Result hit = h.send(get("/a"));

        assertThat(miss.cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; stored");
        assertThat(hit.body()).isEqualTo("hello");
        assertThat(hit.header("Age")).isEqualTo("10");
        assertThat(hit.cacheStatus()).isEqualTo("proxy4j; hit; ttl=50");
        assertThat(hit.header("Content-Type")).isEqualTo("text/plain");
        assertThat(h.received).hasSize(1);
    }

    @Test
    void theCacheStatusOfCachesNearerTheOriginIsKeptBeforeOurs() {
        h.answers(200, "x", "Cache-Control", "max-age=60", "Cache-Status", "origin-cdn; hit");

        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("origin-cdn; hit, proxy4j; fwd=uri-miss; stored");
    }

    @Test
    void theRequestLogGetsThisCachesResultNotANearerCaches() {
        h.answers(200, "x", "Cache-Control", "max-age=60", "Cache-Status", "origin-cdn; hit");

        var missed = h.ctx();
        h.send(missed, get("/a"));
        var hit = h.ctx();
        h.send(hit, get("/a"));

        assertThat(missed.log().cacheResult()).hasValue(dev.proxy4j.log.CacheResult.MISS);
        assertThat(hit.log().cacheResult()).hasValue(dev.proxy4j.log.CacheResult.HIT);
    }

    @Test
    void aQueryIsPartOfTheKey() {
        h.answers(200, "x", "Cache-Control", "max-age=60");

        h.send(get("/a?page=1"));
        h.send(get("/a?page=2"));
        h.send(get("/a?page=1"));

        assertThat(h.received).hasSize(2);
    }

    @Test
    void headIsAnsweredFromAStoredGet() {
        h.answers(200, "hello", "Cache-Control", "max-age=60");
        h.send(get("/a"));

        Result head = h.send(request("HEAD", "/a"));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo("5");
        assertThat(head.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(h.received).hasSize(1);
    }

    @Test
    void aHeadMissGoesToTheBackendAndIsNotStored() {
        h.answers(200, "", "Cache-Control", "max-age=60");

        Result head = h.send(request("HEAD", "/a"));

        assertThat(head.cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; detail=method");
        assertThat(h.received.get(0).method()).isEqualTo("HEAD");
    }

    @Test
    void aResponseWithoutFreshnessOrValidatorIsNotStored() {
        h.answers(200, "x");

        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; detail=no-freshness");
        h.send(get("/a"));
        assertThat(h.received).hasSize(2);
    }

    @Test
    void aBadExpiresIsStaleSoTheNextRequestRevalidates() {
        h.answers(200, "x", "Expires", "yesterday", "ETag", "\"v1\"");
        h.send(get("/a"));
        h.answers(304, "", "ETag", "\"v1\"");

        Result second = h.send(get("/a"));

        assertThat(second.cacheStatus()).isEqualTo("proxy4j; fwd=stale; fwd-status=304; stored");
        assertThat(h.received.get(1).headers().get("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void theHeuristicLifetimeServesHitsWhenOnlyLastModifiedIsGiven() {
        h.answers(200, "x", "Date", h.now(), "Last-Modified", CacheHarness.date(CacheHarness.T0.minusSeconds(1000)));
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(50));

        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; hit; ttl=50");
        h.clock.advance(Duration.ofSeconds(60));
        h.answers(304, "");
        assertThat(h.send(get("/a")).cacheStatus()).startsWith("proxy4j; fwd=stale; fwd-status=304");
    }

    @Test
    void onlyIfCachedIsAnswered504WhenNothingFreshIsStored() {
        Result miss = h.send(get("/a", "Cache-Control", "only-if-cached"));

        assertThat(miss.status()).isEqualTo(504);
        assertThat(miss.cacheStatus()).isEqualTo("proxy4j; detail=only-if-cached");
        assertThat(h.received).isEmpty();

        h.answers(200, "x", "Cache-Control", "max-age=10");
        h.send(get("/a"));
        assertThat(h.send(get("/a", "Cache-Control", "only-if-cached")).status()).isEqualTo(200);
        h.clock.advance(Duration.ofSeconds(20));
        assertThat(h.send(get("/a", "Cache-Control", "only-if-cached")).status()).isEqualTo(504);
        assertThat(h.received).hasSize(1);
    }

    @Test
    void requestNoCacheMaxAgeAndMinFreshForceValidation() {
        h.answers(200, "x", "Cache-Control", "max-age=100", "ETag", "\"e\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(30));
        h.answers(304, "", "ETag", "\"e\"");

        assertThat(h.send(get("/a", "Cache-Control", "max-age=40")).cacheStatus()).startsWith("proxy4j; hit");
        assertThat(h.send(get("/a", "Cache-Control", "min-fresh=60")).cacheStatus()).startsWith("proxy4j; hit");
        assertThat(h.received).hasSize(1);
        assertThat(h.send(get("/a", "Cache-Control", "no-cache")).cacheStatus())
                .isEqualTo("proxy4j; fwd=request; fwd-status=304; stored");
        h.clock.advance(Duration.ofSeconds(30));
        assertThat(h.send(get("/a", "Cache-Control", "max-age=20")).cacheStatus()).startsWith("proxy4j; fwd=request");
        assertThat(h.send(get("/a", "Cache-Control", "min-fresh=110")).cacheStatus()).startsWith("proxy4j; fwd=request");
        assertThat(h.received).hasSize(4);
    }

    @Test
    void maxStaleServesStaleUnlessTheResponseMustBeRevalidated() {
        h.answers(200, "x", "Cache-Control", "max-age=10", "ETag", "\"e\"");
        h.send(get("/a"));
        h.clock.advance(Duration.ofSeconds(15));

        assertThat(h.send(get("/a", "Cache-Control", "max-stale=10")).cacheStatus())
                .isEqualTo("proxy4j; hit; ttl=-5; detail=max-stale");
        assertThat(h.send(get("/a", "Cache-Control", "max-stale")).cacheStatus()).startsWith("proxy4j; hit");
        assertThat(h.received).hasSize(1);
        h.answers(304, "", "ETag", "\"e\"");
        assertThat(h.send(get("/a", "Cache-Control", "max-stale=2")).cacheStatus()).startsWith("proxy4j; fwd=stale");

        CacheHarness strict = new CacheHarness();
        strict.answers(200, "x", "Cache-Control", "max-age=10, must-revalidate", "ETag", "\"e\"");
        strict.send(get("/a"));
        strict.clock.advance(Duration.ofSeconds(15));
        strict.answers(304, "", "ETag", "\"e\"");
        assertThat(strict.send(get("/a", "Cache-Control", "max-stale")).cacheStatus()).startsWith("proxy4j; fwd=stale");
        assertThat(strict.received).hasSize(2);
    }

    @Test
    void proxyRevalidateAndSMaxageAlsoForbidServingStale() {
        for (String cc : new String[] {"max-age=10, proxy-revalidate", "s-maxage=10"}) {
            CacheHarness one = new CacheHarness();
            one.answers(200, "x", "Cache-Control", cc, "ETag", "\"e\"");
            one.send(get("/a"));
            one.clock.advance(Duration.ofSeconds(15));
            one.answers(304, "", "ETag", "\"e\"");
            assertThat(one.send(get("/a", "Cache-Control", "max-stale")).cacheStatus()).as(cc)
                    .startsWith("proxy4j; fwd=stale");
        }
    }

    @Test
    void aResponseNoCacheIsValidatedEveryTime() {
        h.answers(200, "x", "Cache-Control", "no-cache", "ETag", "\"e\"");
        h.send(get("/a"));
        h.answers(304, "", "ETag", "\"e\"");

        Result second = h.send(get("/a"));

        assertThat(second.body()).isEqualTo("x");
        assertThat(second.cacheStatus()).startsWith("proxy4j; fwd=stale; fwd-status=304");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void noCacheWithFieldNamesWithholdsThoseFieldsFromHits() {
        h.answers(200, "x", "Cache-Control", "max-age=60, no-cache=\"X-Token\"", "X-Token", "secret", "X-Other", "1");

        assertThat(h.send(get("/a")).header("X-Token")).isEqualTo("secret");
        Result hit = h.send(get("/a"));

        assertThat(hit.header("X-Token")).isNull();
        assertThat(hit.header("X-Other")).isEqualTo("1");
    }

    @Test
    void setCookieResponsesAreNotStoredByDefault() {
        h.answers(200, "x", "Cache-Control", "max-age=60", "Set-Cookie", "id=1");

        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; detail=set-cookie");
        h.send(get("/a"));
        assertThat(h.received).hasSize(2);

        CacheHarness configured = new CacheHarness(HttpCache.builder().storeSetCookie(true)
                .store(InMemoryCacheStore.of(1 << 20)), CacheKey.defaults());
        configured.answers(200, "x", "Cache-Control", "max-age=60", "Set-Cookie", "id=1");
        assertThat(configured.send(get("/a")).header("Set-Cookie")).as("the first client gets its cookie").isEqualTo("id=1");
        Result hit = configured.send(get("/a"));
        assertThat(hit.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(hit.header("Set-Cookie")).isNull();
    }

    @Test
    void aBodyLargerThanTheLargestObjectStreamsThroughAndIsNotStored() {
        String big = "x".repeat(2000);
        h.answers(200, big, "Cache-Control", "max-age=60");

        Result first = h.send(get("/big"));
        Result second = h.send(get("/big"));

        assertThat(first.body()).isEqualTo(big);
        assertThat(first.cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; detail=too-large");
        assertThat(second.body()).isEqualTo(big);
        assertThat(h.received).hasSize(2);
    }

    @Test
    void aBodyOfUnknownLengthPastTheLargestObjectIsDroppedAsItStreams() {
        String big = "y".repeat(3000);
        h.origin = request -> java.util.concurrent.CompletableFuture.completedFuture(dev.proxy4j.http.ProxyResponse
                .builder(200).headers(dev.proxy4j.http.Headers.of("Cache-Control", "max-age=60"))
                .body(new Chunked(big, 100)).build());

        assertThat(h.send(get("/big")).body()).isEqualTo(big);
        ((InMemoryCacheStore) h.store).cleanUp();

        assertThat(h.store.bounds().orElseThrow().currentBytes()).isZero();
        h.send(get("/big"));
        assertThat(h.received).hasSize(2);
    }

    @Test
    void anErrorOrFailureIsNotCached() {
        h.origin = request -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("down"));

        assertThat(h.start(get("/a")).toCompletableFuture()).isCompletedExceptionally();
        h.answers(200, "x", "Cache-Control", "max-age=60");
        assertThat(h.send(get("/a")).cacheStatus()).isEqualTo("proxy4j; fwd=uri-miss; stored");
        assertThat(response(200, "").status()).isEqualTo(200);
    }
}
