package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    private static final RetryPolicy DEFAULTS = RetryPolicy.defaults();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final RetryPolicy ON_GATEWAY_STATUSES = RetryPolicy.builder()
            .retryOnStatuses(502, 503, 504)
            .retryOnFailures(Kind.CONNECT_REFUSED, Kind.CONNECT_TIMEOUT, Kind.RESET_BEFORE_HEADERS)
            .build();

    @Test
    void hasExplicitDefaults() {
        assertThat(DEFAULTS.maxAttempts()).isEqualTo(3);
        assertThat(DEFAULTS.retryOnFailures()).containsExactlyInAnyOrder(Kind.CONNECT_REFUSED, Kind.CONNECT_TIMEOUT,
                Kind.NO_ENDPOINT, Kind.RESET_BEFORE_HEADERS, Kind.RESPONSE_TIMEOUT);
        assertThat(DEFAULTS.retryOnStatuses()).containsExactly(502, 503, 504);
        assertThat(DEFAULTS.idempotentMethods()).containsExactly("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
        assertThat(DEFAULTS.anyMethodWhenNothingSent()).isTrue();
        assertThat(DEFAULTS.budgetPercent()).isEqualTo(20.0);
        assertThat(DEFAULTS.minRetryConcurrency()).isEqualTo(3);
        assertThat(DEFAULTS.perTryTimeout()).isZero();
        assertThat(DEFAULTS.backoffBase()).isEqualTo(Duration.ofMillis(25));
        assertThat(DEFAULTS.backoffMax()).isEqualTo(Duration.ofMillis(250));
        assertThat(DEFAULTS.maxRetryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.maxReplayBodyBytes()).isEqualTo(64 * 1024);
        assertThat(Upstream.of("http://a:1").retryPolicy()).isSameAs(DEFAULTS);
    }

    /** Method, last outcome (a status or a failure kind), attempts so far, body sent and not replayable. */
    @ParameterizedTest(name = "{0} after {1}, attempt {2}, body sent {3}: {4}")
    @CsvSource({
            // What sent nothing: any method, up to 3 attempts.
            "GET,     CONNECT_REFUSED,      1, false, true",
            "POST,    CONNECT_REFUSED,      1, false, true",
            "PATCH,   CONNECT_TIMEOUT,      2, false, true",
            "POST,    CONNECT_REFUSED,      3, false, false",
            "GET,     CONNECT_REFUSED,      1, true,  false",
            // What may have reached the backend: idempotent methods only (RFC 9110, 9.2.2).
            "GET,     RESET_BEFORE_HEADERS, 1, false, true",
            "POST,    RESET_BEFORE_HEADERS, 1, false, false",
            "PUT,     RESPONSE_TIMEOUT,     2, false, true",
            "PATCH,   RESPONSE_TIMEOUT,     1, false, false",
            "GET,     503,                  1, false, true",
            "DELETE,  502,                  1, false, true",
            "HEAD,    504,                  2, false, true",
            "POST,    503,                  1, false, false",
            "GET,     503,                  3, false, false",
            "PUT,     503,                  1, true,  false",
            // Never: a response body cut off, an answer of the backend's own, a success.
            "GET,     RESET_AFTER_HEADERS,  1, false, false",
            "GET,     IDLE_TIMEOUT,         1, false, false",
            "GET,     500,                  1, false, false",
            "GET,     429,                  1, false, false",
            "GET,     200,                  1, false, false",
    })
    void retriesByDefaultWhatSentNothingForAnyMethodAndResetsTimeoutsAndGatewayStatusesForIdempotentOnes(
            String method, String last, int attempts, boolean bodySent, boolean expected) {
        assertThat(DEFAULTS.shouldRetry(request(method), attempts, outcome(last), bodySent)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} after {1}, attempt {2}, body sent {3}: {4}")
    @CsvSource({
            "GET,     503,                  1, false, true",
            "PUT,     502,                  2, false, true",
            "DELETE,  504,                  1, false, true",
            "POST,    503,                  1, false, false",
            "PATCH,   502,                  1, false, false",
            "GET,     500,                  1, false, false",
            "GET,     503,                  3, false, false",
            "GET,     503,                  1, true,  false",
            "GET,     RESET_BEFORE_HEADERS, 1, false, true",
            "POST,    RESET_BEFORE_HEADERS, 1, false, false",
            "POST,    CONNECT_REFUSED,      1, false, true",
            "GET,     RESPONSE_TIMEOUT,     1, false, false",
            "GET,     NO_ENDPOINT,          1, false, false",
    })
    void retriesOptedInStatusesAndFailuresThatMayHaveBeenSentOnlyForIdempotentMethods(
            String method, String last, int attempts, boolean bodySent, boolean expected) {
        assertThat(ON_GATEWAY_STATUSES.shouldRetry(request(method), attempts, outcome(last), bodySent))
                .isEqualTo(expected);
    }

    @Test
    void retriesOnStatusAnswersExactlyForTheConfiguredStatuses() {
        RetryPolicy policy = RetryPolicy.builder().retryOnStatuses(429, 503).build();

        assertThat(policy.retriesOnStatus(429)).isTrue();
        assertThat(policy.retriesOnStatus(503)).isTrue();
        assertThat(policy.retriesOnStatus(502)).isFalse();
        assertThat(policy.retriesOnStatus(200)).isFalse();
        assertThat(policy.retriesOnStatus(0)).isFalse();
        assertThat(policy.retriesOnStatus(-1)).isFalse();
        assertThat(policy.retriesOnStatus(1_000_000)).isFalse();
        assertThat(DEFAULTS.retriesOnStatus(504)).isTrue();
    }

    @Test
    void retriesWhatSentNothingOnlyForIdempotentMethodsWhenToldTo() {
        RetryPolicy policy = RetryPolicy.builder().anyMethodWhenNothingSent(false).build();

        assertThat(policy.shouldRetry(request("POST"), 1, outcome("CONNECT_REFUSED"), false)).isFalse();
        assertThat(policy.shouldRetry(request("GET"), 1, outcome("CONNECT_REFUSED"), false)).isTrue();
    }

    @Test
    void treatsOnlyTheConfiguredMethodsAsIdempotent() {
        RetryPolicy policy = RetryPolicy.builder().retryOnStatuses(503).idempotentMethods("GET", "QUERY").build();

        assertThat(policy.shouldRetry(request("QUERY"), 1, outcome("503"), false)).isTrue();
        assertThat(policy.shouldRetry(request("PUT"), 1, outcome("503"), false)).isFalse();
    }

    @Test
    void neverRetriesWithOneAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().shouldRetry(request("GET"), 1, outcome("CONNECT_REFUSED"), false)).isFalse();
    }

    @Test
    void copiesItselfIntoABuilder() {
        RetryPolicy policy = ON_GATEWAY_STATUSES.toBuilder().maxAttempts(5).build();

        assertThat(policy).isEqualTo(ON_GATEWAY_STATUSES.toBuilder().maxAttempts(5).build());
        assertThat(policy.retryOnStatuses()).containsExactly(502, 503, 504);
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(ON_GATEWAY_STATUSES.maxAttempts()).isEqualTo(3);
        assertThat(RetryPolicy.builder().retryOnFailures().build().toBuilder().build().retryOnFailures()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 11, -1})
    void refusesMaxAttemptsOutsideOneToTen(int maxAttempts) {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(maxAttempts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts: " + maxAttempts + " (expected: 1..10)");
    }

    @Test
    void refusesSettingsOutsideTheirRange() {
        assertThatThrownBy(() -> RetryPolicy.builder().retryOnStatuses(503, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryOnStatuses: 200 (expected: 400..599)");
        assertThatThrownBy(() -> RetryPolicy.builder().retryOnFailures(Kind.REQUEST_BODY_TOO_LARGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryOnFailures: REQUEST_BODY_TOO_LARGE (expected: a failure another endpoint could avoid)");
        assertThatThrownBy(() -> RetryPolicy.builder().idempotentMethods("GET", "PUT X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotentMethods: \"PUT X\" (expected: a method token)");
        assertThatThrownBy(() -> RetryPolicy.builder().budgetPercent(100.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetPercent: 100.5 (expected: 0..100)");
        assertThatThrownBy(() -> RetryPolicy.builder().budgetPercent(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budgetPercent: NaN (expected: 0..100)");
        assertThatThrownBy(() -> RetryPolicy.builder().minRetryConcurrency(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minRetryConcurrency: -1 (expected: >= 0)");
        assertThatThrownBy(() -> DEFAULTS.shouldRetry(request("GET"), 0, outcome("503"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attemptsSoFar: 0 (expected: >= 1)");
    }

    @Test
    void retriesEveryFailureKindThatSentNothingForAPostByDefaultAndNoOther() {
        Set<Kind> retried = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (DEFAULTS.shouldRetry(request("POST"), 1, Outcome.failure(kind, 0), false)) {
                retried.add(kind);
            }
        }
        assertThat(retried).isNotEmpty().allMatch(Kind::nothingSent);
        assertThat(EnumSet.complementOf(EnumSet.copyOf(retried))).noneMatch(Kind::nothingSent);
    }

    @Test
    void retriesCountsAttemptsAfterTheFirst() {
        assertThat(RetryPolicy.ofRetries(0).maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.ofRetries(4).maxAttempts()).isEqualTo(5);
        assertThat(RetryPolicy.ofRetries(4).retryOnStatuses()).isEqualTo(DEFAULTS.retryOnStatuses());
        assertThat(RetryPolicy.ofRetries(2)).isEqualTo(DEFAULTS);
        assertThatThrownBy(() -> RetryPolicy.ofRetries(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retries: 10 (expected: 0..9)");
        assertThatThrownBy(() -> RetryPolicy.builder().retries(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retries: -1 (expected: 0..9)");
    }

    @Test
    void refusesNegativeTimesAndABackoffWhoseMaximumIsBelowItsBase() {
        assertThatThrownBy(() -> RetryPolicy.builder().perTryTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perTryTimeout: PT-0.001S (expected: positive, or zero for no limit)");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoffMax: PT0.05S (expected: >= backoffBase PT0.1S)");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(-5), Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoffBase: PT-0.005S (expected: >= 0)");
        assertThatThrownBy(() -> RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetryAfter: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> RetryPolicy.builder().maxReplayBodyBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxReplayBodyBytes: -1 (expected: >= 0)");
        assertThatThrownBy(() -> DEFAULTS.delay(1, null, CLOCK, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random: 1.0 (expected: 0 (included) to 1 (excluded))");
    }

    @Test
    void copiesTheNewSettingsIntoABuilder() {
        RetryPolicy policy = RetryPolicy.builder().perTryTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).maxRetryAfter(Duration.ofSeconds(3))
                .maxReplayBodyBytes(10).build();

        assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
        assertThat(policy).isNotEqualTo(DEFAULTS);
        assertThat(policy.toString()).contains("perTryTimeout=PT2S", "maxReplayBodyBytes=10");
    }

    private static ProxyRequest request(String method) {
        return ProxyRequest.builder().method(method).path("/").build();
    }

    private static Outcome outcome(String last) {
        return Character.isDigit(last.charAt(0))
                ? Outcome.response(Integer.parseInt(last), 0)
                : Outcome.failure(Kind.valueOf(last), 0);
    }
}
