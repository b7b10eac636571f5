package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wait before a retry: Envoy's exponential backoff with full jitter, and a response's Retry-After up to a cap. */
class RetryDelayTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RetryPolicy DEFAULTS = RetryPolicy.defaults();

    /** Attempts so far, the jitter drawn, the wait in ms: (2^n - 1) x 25 ms at most, 250 ms at the very most. */
    @ParameterizedTest(name = "after {0} attempts, random {1}: {2} ms")
    @CsvSource({
            "1, 0.0,     0",
            "1, 0.5,    12.5",
            "1, 0.9999, 24.9975",
            "2, 0.5,    37.5",
            "3, 0.5,    87.5",
            "4, 0.9999, 249.975",
            "9, 0.5,   125",
            "40, 0.5,  125",
    })
    void backsOffExponentiallyWithFullJitterUpToTheMaximum(int attempts, double random, double millis) {
        assertThat(DEFAULTS.delay(attempts, null, CLOCK, random))
                .contains(Duration.ofNanos(Math.round(millis * 1_000_000)));
    }

    @Test
    void spreadsTheWaitsEvenlyBelowTheCeiling() {
        Random random = new Random(42);
        long below = 0;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long nanos = DEFAULTS.delay(2, null, CLOCK, random.nextDouble()).orElseThrow().toNanos();
            max = Math.max(max, nanos);
            if (nanos < Duration.ofMillis(75).toNanos() / 2) {
                below++;
            }
        }
        assertThat(max).isLessThan(Duration.ofMillis(75).toNanos());
        // Half of them in the lower half of 0..75 ms, within 3%.
        assertThat(below).isBetween(4_700L, 5_300L);
    }

    @Test
    void waitsAtLeastTheRetryAfterInSecondsUpToTheCap() {
        assertThat(DEFAULTS.delay(1, "1", CLOCK, 0.5)).contains(Duration.ofSeconds(1));
        assertThat(DEFAULTS.delay(1, " 0 ", CLOCK, 0.5)).contains(Duration.ofNanos(12_500_000));
        assertThat(DEFAULTS.delay(1, "2", CLOCK, 0.5)).isEmpty();
        assertThat(DEFAULTS.delay(1, "99999999999999999999", CLOCK, 0.5)).isEmpty();
        RetryPolicy patient = RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(5)).build();
        assertThat(patient.delay(1, "5", CLOCK, 0.5)).contains(Duration.ofSeconds(5));
    }

    @Test
    void readsAnHttpDateAgainstTheClock() {
        assertThat(DEFAULTS.delay(1, "Tue, 01 Dec 2026 12:00:01 GMT", CLOCK, 0)).contains(Duration.ofSeconds(1));
        assertThat(DEFAULTS.delay(1, "Tue, 01 Dec 2026 12:00:03 GMT", CLOCK, 0)).isEmpty();
        // A date gone by is no wait: the backoff alone.
        assertThat(DEFAULTS.delay(1, "Tue, 01 Dec 2026 11:00:00 GMT", CLOCK, 0.5)).contains(Duration.ofNanos(12_500_000));
        // The same date, the clock moved on by two seconds: now within the cap.
        Clock later = Clock.offset(CLOCK, Duration.ofSeconds(2));
        assertThat(DEFAULTS.delay(1, "Tue, 01 Dec 2026 12:00:03 GMT", later, 0)).contains(Duration.ofSeconds(1));
    }

    @Test
    void ignoresARetryAfterItCannotRead() {
        for (String value : new String[] {"", "soon", "-1", "1.5", "2026-12-01T12:00:01Z"}) {
            assertThat(DEFAULTS.delay(1, value, CLOCK, 0.5)).as(value).contains(Duration.ofNanos(12_500_000));
        }
    }

    @Test
    void retriesAtOnceWithNoBackoffAndNoRetryAfterWithANoughtCap() {
        RetryPolicy eager = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).maxRetryAfter(Duration.ZERO).build();

        assertThat(eager.delay(3, null, CLOCK, 0.9)).contains(Duration.ZERO);
        assertThat(eager.delay(1, "0", CLOCK, 0.9)).contains(Duration.ZERO);
        assertThat(eager.delay(1, "1", CLOCK, 0.9)).isEqualTo(Optional.empty());
    }

    /** nginx's next upstream: the first retry, to an endpoint not tried yet, does not wait; the rest back off as Envoy. */
    @ParameterizedTest(name = "after {0} attempts, to an untried endpoint {1}, Retry-After {2}: {3} ms")
    @CsvSource({
            "1, true,  ,       0",
            "1, true,  1,      0",
            "1, true,  120,    0",
            "1, false, ,      12.5",
            "1, false, 1,   1000",
            "2, true,  ,      37.5",
            "3, true,  ,      87.5",
            "2, false, ,      37.5",
    })
    void goesAtOnceOnlyOnTheFirstRetryToAnEndpointNotTriedYet(int attempts, boolean untried, String retryAfter,
            double millis) {
        assertThat(DEFAULTS.delay(attempts, untried, retryAfter, CLOCK, 0.5))
                .contains(Duration.ofNanos(Math.round(millis * 1_000_000)));
    }

    @Test
    void aRetryAfterBeyondTheCapStopsOnlyARetryToAnEndpointAlreadyTried() {
        assertThat(DEFAULTS.delay(1, false, "120", CLOCK, 0.5)).isEmpty();
        assertThat(DEFAULTS.delay(2, true, "120", CLOCK, 0.5)).isEmpty();
        assertThat(DEFAULTS.delay(1, true, "120", CLOCK, 0.5)).contains(Duration.ZERO);
    }

    @Test
    void checksItsArgumentsWhereverTheRetryGoes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DEFAULTS.delay(0, true, null, CLOCK, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attemptsSoFar: 0 (expected: >= 1)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DEFAULTS.delay(1, true, null, CLOCK, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random: 1.0 (expected: 0 (included) to 1 (excluded))");
    }

    /** A TCP listener's connect retries: the same rule, where the upstream's retry says it goes. */
    @Test
    void aRefusedConnectBacksOffBeforeTheOnlyEndpointAndNotBeforeAnother() {
        Endpoint a = Endpoint.of("http://a:1");
        Endpoint b = Endpoint.of("http://b:1");
        dev.proxy4j.http.ProxyRequest tcp = dev.proxy4j.http.ProxyRequest.builder().method("TCP").path("/").build();
        Outcome refused = Outcome.failure(UpstreamFailure.Kind.CONNECT_REFUSED, 0);

        Upstream lone = Upstream.builder().endpoint(a).build();
        Selection again = lone.retry(Picks.CTX, tcp, java.util.Set.of(a), 1, refused, false).orElseThrow();
        assertThat(again.isToUntriedEndpoint()).isFalse();
        assertThat(lone.retryPolicy().delay(1, again.isToUntriedEndpoint(), null, CLOCK, 0.5))
                .contains(Duration.ofNanos(12_500_000));
        again.complete(refused);

        Upstream pair = Upstream.builder().endpoint(a).endpoint(b).build();
        Selection other = pair.retry(Picks.CTX, tcp, java.util.Set.of(a), 1, refused, false).orElseThrow();
        assertThat(other.endpoint()).isEqualTo(b);
        assertThat(pair.retryPolicy().delay(1, other.isToUntriedEndpoint(), null, CLOCK, 0.5)).contains(Duration.ZERO);
        other.complete(refused);
    }
}
