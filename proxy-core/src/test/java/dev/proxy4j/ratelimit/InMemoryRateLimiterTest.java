package dev.proxy4j.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory store's bounds: how many keys it holds and when it forgets one. Its rules are in RateLimiterContract. */
class InMemoryRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private final Quota quota = new Quota(Rate.perSecond(10), 4);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aSprayOfKeysNeverHoldsMoreThanMaxKeys() {
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder().ticker(nanos::get).maxKeys(1_000).build();

        for (int i = 0; i < 50_000; i++) {
            assertThat(limiter.decide("10." + (i >> 16) + '.' + ((i >> 8) & 255) + '.' + (i & 255), quota).allowed()).isTrue();
        }

        assertThat(limiter.keyCount()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void aKeyIsForgottenOnceIdleAndForgettingChangesNoDecision() {
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder().ticker(nanos::get).build();
        for (int i = 0; i < 5; i++) {
            limiter.decide("k", quota);
        }
        assertThat(limiter.decide("k", quota).allowed()).isFalse();

        advance(Duration.ofMillis(50));
        assertThat(limiter.keyCount()).as("not yet idle: kept").isEqualTo(1);
        assertThat(limiter.decide("k", quota).allowed()).as("still over its burst").isFalse();

        // Caffeine's timer wheel removes expired keys in buckets of about a second (a read sees expiry at once).
        advance(quota.holdTime().plusSeconds(2));
        assertThat(limiter.keyCount()).isZero();
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limiter.decide("k", quota).allowed() ? 1 : 0;
        }
        assertThat(admitted).as("as a key never seen").isEqualTo(5);
    }

    @Test
    void aKeyInUseIsKeptForItsWholeHoldTime() {
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder().ticker(nanos::get).build();
        for (int i = 0; i < 5; i++) {
            limiter.decide("k", quota);
        }
        // The key is now 500 ms ahead: every 90 ms a request is refused and the key must not be forgotten.
        for (int i = 0; i < 20; i++) {
            advance(Duration.ofMillis(10));
            limiter.decide("k", quota);
        }
        assertThat(limiter.keyCount()).isEqualTo(1);
    }

    @Test
    void theHoldTimeIsTheBurstPlusOneIntervals() {
        assertThat(quota.holdTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(new Quota(Rate.perMinute(1), 0).holdTime()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void maxKeysMustBePositive() {
        assertThatThrownBy(() -> InMemoryRateLimiter.builder().maxKeys(0)).hasMessage("maxKeys: 0 (expected: > 0)");
    }
}
