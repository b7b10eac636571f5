package dev.proxy4j.cache;

import static dev.proxy4j.cache.CacheHarness.get;
import static dev.proxy4j.cache.CacheHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.CacheHarness.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 9111 5.4 (Pragma: no-cache in a request) and 4.3.5 (a HEAD response freshening a stored GET). */
class PragmaAndHeadTest {

    private final CacheHarness h = new CacheHarness();

    private void storeFor(int maxAge, String etag, String version) {
        h.answers(200, "body", "Cache-Control", "max-age=" + maxAge, "ETag", etag, "X-Version", version,
                "Content-Length", "4");
        h.send(get("/a"));
    }

    @Test
    void pragmaNoCacheWithoutCacheControlMakesAFreshResponseBeValidatedFirst() {
        storeFor(300, "\"v1\"", "1");
        h.answers(304, "", "ETag", "\"v1\"", "X-Version", "2");

        Result validated = h.send(get("/a", "Pragma", "no-cache"));

        assertThat(h.received).hasSize(2);
        assertThat(h.received.get(1).headers().get("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(h.received.get(1).headers().get("Pragma")).as("sent on as it came").isEqualTo("no-cache");
        assertThat(validated.cacheStatus()).isEqualTo("proxy4j; fwd=request; fwd-status=304; stored");
        assertThat(validated.header("X-Version")).isEqualTo("2");
        assertThat(validated.body()).isEqualTo("body");
    }

    @Test
    void pragmaNoCacheIsIgnoredWhenTheRequestHasCacheControlAndOtherPragmasMeanNothing() {
        storeFor(300, "\"v1\"", "1");

        Result withCacheControl = h.send(get("/a", "Pragma", "no-cache", "Cache-Control", "max-stale=5"));
        Result otherPragma = h.send(get("/a", "Pragma", "x-trace"));

        assertThat(withCacheControl.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(otherPragma.cacheStatus()).startsWith("proxy4j; hit");
        assertThat(h.received).hasSize(1);
    }

    @Test
    void aHeadOnAStaleGetIsValidatedWithAHeadWhoseMatching200FreshensTheStoredGet() {
        storeFor(10, "\"v1\"", "1");
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(200, "", "Cache-Control", "max-age=100", "ETag", "\"v1\"", "Content-Length", "4", "X-Version", "2");

        Result head = h.send(request("HEAD", "/a"));
        Result hit = h.send(get("/a"));

        assertThat(h.received.get(1).method()).isEqualTo("HEAD");
        assertThat(h.received.get(1).headers().get("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.cacheStatus()).isEqualTo("proxy4j; fwd=stale; fwd-status=200; stored");
        assertThat(hit.cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
        assertThat(hit.header("X-Version")).isEqualTo("2");
        assertThat(hit.body()).isEqualTo("body");
        assertThat(h.received).hasSize(2);
    }

    @Test
    void aHeadWhoseValidatorDiffersRemovesTheStoredGet() {
        storeFor(10, "\"v1\"", "1");
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(200, "", "Cache-Control", "max-age=100", "ETag", "\"v2\"", "Content-Length", "4");

        Result head = h.send(request("HEAD", "/a"));
        h.answers(200, "new!", "Cache-Control", "max-age=100", "ETag", "\"v2\"");
        Result next = h.send(get("/a"));

        assertThat(head.cacheStatus()).isEqualTo("proxy4j; fwd=stale; fwd-status=200; detail=head-mismatch");
        assertThat(head.header("ETag")).isEqualTo("\"v2\"");
        assertThat(next.cacheStatus()).startsWith("proxy4j; fwd=uri-miss");
        assertThat(h.received.get(2).headers().get("If-None-Match")).as("nothing stored to validate").isNull();
        assertThat(next.body()).isEqualTo("new!");
    }

    @Test
    void aHeadWithTheSameTagButAnotherLengthOrWithNoValidatorAtAllRemovesTheStoredGet() {
        storeFor(10, "\"v1\"", "1");
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(200, "", "Cache-Control", "max-age=100", "ETag", "\"v1\"", "Content-Length", "5");
        assertThat(h.send(request("HEAD", "/a")).cacheStatus()).endsWith("detail=head-mismatch");

        storeFor(10, "\"v1\"", "1");
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(200, "", "Cache-Control", "max-age=100", "Content-Length", "4");
        assertThat(h.send(request("HEAD", "/a")).cacheStatus()).endsWith("detail=head-mismatch");

        h.answers(200, "body", "Cache-Control", "max-age=100");
        assertThat(h.send(get("/a")).cacheStatus()).startsWith("proxy4j; fwd=uri-miss");
    }

    @Test
    void aHeadAnswered304UpdatesTheStoredGetAndAFreshGetIsStillAHitForHead() {
        storeFor(10, "\"v1\"", "1");
        h.clock.advance(Duration.ofSeconds(20));
        h.answers(304, "", "Cache-Control", "max-age=100", "ETag", "\"v1\"", "X-Version", "3");

        Result head = h.send(request("HEAD", "/a"));
        Result again = h.send(request("HEAD", "/a"));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("X-Version")).isEqualTo("3");
        assertThat(head.header("Content-Length")).isEqualTo("4");
        assertThat(again.cacheStatus()).isEqualTo("proxy4j; hit; ttl=100");
        assertThat(h.received).hasSize(2);
        assertThat(h.received.get(1).method()).isEqualTo("HEAD");
    }
}
