package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.ratelimit.InMemoryRateLimiter;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rate-limit filter's rules, on a manual clock and event loop: nothing sleeps. */
class RateLimitFilterTest {

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualEventLoop loop = new ManualEventLoop(clock);
    private final AtomicInteger forwarded = new AtomicInteger();
    private final FilterChain backend = request -> {
        forwarded.incrementAndGet();
        return CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"));
    };

    private RateLimit.Builder limit(String rate) {
        return RateLimit.builder().rate(rate).limiter(InMemoryRateLimiter.builder().ticker(clock).build());
    }

    private List<CompletableFuture<ProxyResponse>> send(RateLimit limit, int requests, String... headers) {
        List<CompletableFuture<ProxyResponse>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            RequestContext ctx = loop.context();
            responses.add(limit.filter(ctx, ProxyRequest.builder().path("/p").headers(Headers.of(headers)).build(), backend)
                    .toCompletableFuture());
        }
        loop.runDue();
        return responses;
    }

    private static int status(CompletionStage<ProxyResponse> response) {
        return response.toCompletableFuture().getNow(null).status();
    }

    @Test
    void beyondTheBurstA429WithRetryAfterAndTheRateLimitFields() {
        RateLimit limit = limit("10r/s").burst(2).nodelay().name("api").build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 4);

        assertThat(responses.subList(0, 3)).allSatisfy(r -> assertThat(status(r)).isEqualTo(200));
        ProxyResponse rejected = responses.get(3).getNow(null);
        assertThat(rejected.status()).isEqualTo(429);
        assertThat(rejected.headers().get("Retry-After")).as("100 ms, rounded up").isEqualTo("1");
        assertThat(rejected.headers().get("RateLimit-Policy")).isEqualTo("\"api\";q=10;w=1");
        assertThat(rejected.headers().get("RateLimit")).isEqualTo("\"api\";r=0;t=1");
        assertThat(rejected.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(forwarded).as("the rejected request went nowhere").hasValue(3);
    }

    @Test
    void retryAfterCountsWholeSecondsOfASlowRate() {
        RateLimit limit = limit("2r/m").name("slow").build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 2);

        assertThat(responses.get(1).getNow(null).headers().get("Retry-After")).isEqualTo("30");
        assertThat(responses.get(1).getNow(null).headers().get("RateLimit-Policy")).isEqualTo("\"slow\";q=2;w=60");
    }

    @Test
    void withoutNodelayTheBurstIsDelayedToTheRateOnTheLoopNotRejected() {
        RateLimit limit = limit("10r/s").burst(3).build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 5);

        assertThat(forwarded).as("only the first at once").hasValue(1);
        assertThat(loop.pendingTimers()).isEqualTo(3);
        assertThat(status(responses.get(4))).as("beyond the burst: at once").isEqualTo(429);
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofMillis(100).minusNanos(1));
            loop.runDue();
            assertThat(forwarded).as("just before its turn").hasValue(i);
            clock.advance(Duration.ofNanos(1));
            loop.runDue();
            assertThat(forwarded).hasValue(i + 1);
            assertThat(status(responses.get(i))).isEqualTo(200);
        }
    }

    @Test
    void delayNLetsTheFirstNAheadGoAtOnceAndDelaysTheRest() {
        RateLimit limit = limit("10r/s").burst(4).delay(2).build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 6);

        assertThat(forwarded).as("one at the rate plus two ahead").hasValue(3);
        assertThat(status(responses.get(5))).isEqualTo(429);
        clock.advance(Duration.ofMillis(100));
        loop.runDue();
        assertThat(forwarded).hasValue(4);
        clock.advance(Duration.ofMillis(100));
        loop.runDue();
        assertThat(forwarded).hasValue(5);
        assertThat(responses.subList(0, 5)).allSatisfy(r -> assertThat(status(r)).isEqualTo(200));
    }

    @Test
    void nodelayForwardsTheWholeBurstAtOnce() {
        RateLimit limit = limit("1r/s").burst(9).nodelay().build();

        send(limit, 12);

        assertThat(forwarded).hasValue(10);
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aDryRunNeitherDelaysNorRejects() {
        RateLimit limit = limit("1r/s").burst(1).dryRun(true).build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 5);

        assertThat(forwarded).hasValue(5);
        assertThat(responses).allSatisfy(r -> assertThat(status(r)).isEqualTo(200));
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aHeaderKeyCountsEachValueApartAndLeavesRequestsWithoutItAlone() {
        RateLimit limit = limit("1r/s").nodelay().key(RateLimitKey.header("X-Api-Key")).build();

        assertThat(send(limit, 2, "X-Api-Key", "alpha")).extracting(RateLimitFilterTest::status).containsExactly(200, 429);
        assertThat(send(limit, 2, "X-Api-Key", "beta")).extracting(RateLimitFilterTest::status).containsExactly(200, 429);
        assertThat(send(limit, 5)).extracting(RateLimitFilterTest::status).containsOnly(200);
    }

    @Test
    void aPathKeyCountsEachPathApart() {
        RateLimit limit = limit("1r/s").nodelay().key(RateLimitKey.path()).build();
        RequestContext ctx = loop.context();

        assertThat(status(limit.filter(ctx, ProxyRequest.builder().path("/a").build(), backend))).isEqualTo(200);
        assertThat(status(limit.filter(ctx, ProxyRequest.builder().path("/b").build(), backend))).isEqualTo(200);
        assertThat(status(limit.filter(ctx, ProxyRequest.builder().path("/a").build(), backend))).isEqualTo(429);
    }

    @Test
    void aKeyOfTheContextByFunction() {
        RateLimit limit = limit("1r/s").nodelay()
                .key(RateLimitKey.of("tenant", (ctx, request) -> java.util.Optional.of(request.host()))).build();

        assertThat(limit.key()).hasToString("tenant");
        assertThat(send(limit, 3)).extracting(RateLimitFilterTest::status).containsExactly(200, 429, 429);
    }

    @Test
    void theFieldsGoOnAdmittedResponsesWhenAskedFor() {
        RateLimit limit = limit("10r/s").burst(5).nodelay().name("n").responseHeaders(true).build();

        List<CompletableFuture<ProxyResponse>> responses = send(limit, 2);

        assertThat(responses.get(0).getNow(null).headers().get("RateLimit")).isEqualTo("\"n\";r=5;t=1");
        assertThat(responses.get(1).getNow(null).headers().get("RateLimit")).isEqualTo("\"n\";r=4;t=1");
        assertThat(responses.get(1).getNow(null).headers().get("RateLimit-Policy")).isEqualTo("\"n\";q=10;w=1");
    }

    @Test
    void aStoreThatFailsLetsTheRequestThrough() {
        RateLimit limit = RateLimit.builder().rate("1r/s")
                .limiter((key, quota) -> CompletableFuture.failedFuture(new IllegalStateException("store down")))
                .build();

        assertThat(send(limit, 3)).extracting(RateLimitFilterTest::status).containsOnly(200);
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> RateLimit.builder().build()).hasMessage("rate: missing (expected: a rate such as 10r/s or 600r/m)");
        assertThatThrownBy(() -> RateLimit.builder().rate("10/s"))
                .hasMessage("rate: \"10/s\" (expected: requests per second or minute, as 10r/s or 600r/m)");
        assertThatThrownBy(() -> RateLimit.builder().burst(-1)).hasMessage("burst: -1 (expected: 0..1000000)");
        assertThatThrownBy(() -> RateLimit.builder().delay(-2)).hasMessage("delay: -2 (expected: >= 0)");
        assertThatThrownBy(() -> RateLimit.builder().name("a b")).hasMessageStartingWith("name: \"a b\"");
        assertThat(RateLimit.builder().rate("10r/s").burst(20).nodelay().build())
                .hasToString("RateLimit[ip-10r/s, 10r/s, burst=20, nodelay, key=ip]");
    }
}
