package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.ratelimit.Quota;
import dev.proxy4j.ratelimit.Rate;
import dev.proxy4j.ratelimit.RateLimitDecision;
import dev.proxy4j.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link RateLimiter} store keeps: nginx's {@code limit_req} accounting, one
 * decision per request, exact under concurrency. Extend it and implement {@link #limiter(ManualClock)}
 * with a store whose time is the given clock:
 *
 * <pre>{@code
 * class RedisRateLimiterContractTest extends RateLimiterContract {
 *     @Override
 *     protected RateLimiter limiter(ManualClock clock) {
 *         return RedisRateLimiter.builder().client(redis).clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * Time only moves when a test moves the clock; nothing sleeps.
 */
public abstract class RateLimiterContract {

    private static final Quota TEN_PER_SECOND_BURST_5 = new Quota(Rate.perSecond(10), 5);
    private static final Duration T = Duration.ofMillis(100);

    protected ManualClock clock;
    protected RateLimiter limiter;

    /** A new, empty store that reads the time from {@code clock}. */
    protected abstract RateLimiter limiter(ManualClock clock);

    @BeforeEach
    void newStore() {
        clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        limiter = limiter(clock);
    }

    private RateLimitDecision acquire(String key, Quota quota) {
        return limiter.acquire(key, quota).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private int admitted(String key, Quota quota, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            if (acquire(key, quota).allowed()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void anIdleKeyIsAdmittedOnePlusBurstAtOnceThenRejected() {
        assertThat(admitted("k", TEN_PER_SECOND_BURST_5, 20)).isEqualTo(6);
    }

    @Test
    void afterItsBurstAKeyIsAdmittedOneRequestPerInterval() {
        admitted("k", TEN_PER_SECOND_BURST_5, 6);

        clock.advance(T.minusNanos(1));
        assertThat(acquire("k", TEN_PER_SECOND_BURST_5).allowed()).as("just before the interval").isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(acquire("k", TEN_PER_SECOND_BURST_5).allowed()).isTrue();
        assertThat(acquire("k", TEN_PER_SECOND_BURST_5).allowed()).isFalse();
        clock.advance(T.multipliedBy(3));
        assertThat(admitted("k", TEN_PER_SECOND_BURST_5, 10)).isEqualTo(3);
    }

    @Test
    void aRejectionSaysWhenTheNextRequestWouldBeAdmittedAndIsNotCounted() {
        admitted("k", TEN_PER_SECOND_BURST_5, 6);
        clock.advance(Duration.ofMillis(30));

        for (int i = 0; i < 50; i++) {
            RateLimitDecision rejected = acquire("k", TEN_PER_SECOND_BURST_5);
            assertThat(rejected.allowed()).isFalse();
            assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(70));
            assertThat(rejected.remaining()).isZero();
            assertThat(rejected.reset()).isEqualTo(Duration.ofMillis(570));
        }
        clock.advance(Duration.ofMillis(70));
        assertThat(acquire("k", TEN_PER_SECOND_BURST_5).allowed()).as("rejections took nothing").isTrue();
    }

    @Test
    void eachAdmissionSaysItsPlaceInLineWhatRemainsAndWhenTheKeyIsIdleAgain() {
        for (int i = 0; i <= 5; i++) {
            RateLimitDecision d = acquire("k", TEN_PER_SECOND_BURST_5);
            assertThat(d.allowed()).isTrue();
            assertThat(d.queued()).as("request %s", i).isEqualTo(T.multipliedBy(i));
            assertThat(d.remaining()).as("request %s", i).isEqualTo(5 - i);
            assertThat(d.reset()).as("request %s", i).isEqualTo(T.multipliedBy(i + 1));
            assertThat(d.retryAfter()).isZero();
        }
    }

    @Test
    void keysAreIndependent() {
        assertThat(admitted("a", TEN_PER_SECOND_BURST_5, 10)).isEqualTo(6);
        assertThat(admitted("b", TEN_PER_SECOND_BURST_5, 10)).isEqualTo(6);
        assertThat(admitted("a", TEN_PER_SECOND_BURST_5, 1)).isZero();
    }

    @Test
    void anIdleKeyGetsItsWholeBurstBackAndAPartlyIdleOneAPart() {
        admitted("k", TEN_PER_SECOND_BURST_5, 6);
        clock.advance(T.multipliedBy(6));
        assertThat(admitted("k", TEN_PER_SECOND_BURST_5, 20)).isEqualTo(6);

        clock.advance(Duration.ofHours(5));
        assertThat(admitted("k", TEN_PER_SECOND_BURST_5, 20)).as("idle for long is idle, no more").isEqualTo(6);
    }

    @Test
    void withoutABurstOneRequestPerInterval() {
        Quota one = new Quota(Rate.perSecond(2), 0);
        assertThat(admitted("k", one, 5)).isEqualTo(1);
        RateLimitDecision rejected = acquire("k", one);
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(500));
        assertThat(admitted("k", one, 5)).isEqualTo(1);
    }

    @Test
    void perMinuteRatesCountInMinutes() {
        Quota sixPerMinute = new Quota(Rate.perMinute(6), 1);
        assertThat(admitted("k", sixPerMinute, 5)).isEqualTo(2);
        assertThat(acquire("k", sixPerMinute).retryAfter()).isEqualTo(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(admitted("k", sixPerMinute, 5)).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted("k", sixPerMinute, 5)).isEqualTo(1);
    }

    @Test
    void aQuotaSeesOnlyItsOwnKeysEvenWhenTheyDifferOnlyInCase() {
        assertThat(admitted("Key", TEN_PER_SECOND_BURST_5, 10)).isEqualTo(6);
        assertThat(admitted("key", TEN_PER_SECOND_BURST_5, 10)).isEqualTo(6);
    }

    @Test
    void concurrentRequestsOfOneKeyAreAdmittedExactlyOnePlusBurst() throws Exception {
        Quota quota = new Quota(Rate.perSecond(1), 50);
        int threads = 8;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    return admitted("shared", quota, each);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(51);
        } finally {
            pool.shutdownNow();
        }
    }
}
