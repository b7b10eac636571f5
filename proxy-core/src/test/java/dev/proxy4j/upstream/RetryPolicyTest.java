package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    private static final RetryPolicy DEFAULTS = RetryPolicy.defaults();
    private static final RetryPolicy ON_GATEWAY_STATUSES = RetryPolicy.builder()
            .retryOnStatuses(502, 503, 504)
            .retryOnFailures(Kind.CONNECT_REFUSED, Kind.CONNECT_TIMEOUT, Kind.RESET_BEFORE_HEADERS)
            .build();

    @Test
    void hasExplicitDefaults() {
        assertThat(DEFAULTS.maxAttempts()).isEqualTo(3);
        assertThat(DEFAULTS.retryOnFailures())
                .containsExactlyInAnyOrder(Kind.CONNECT_REFUSED, Kind.CONNECT_TIMEOUT, Kind.NO_ENDPOINT);
        assertThat(DEFAULTS.retryOnStatuses()).isEmpty();
        assertThat(DEFAULTS.idempotentMethods()).containsExactly("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
        assertThat(DEFAULTS.anyMethodWhenNothingSent()).isTrue();
        assertThat(DEFAULTS.budgetPercent()).isEqualTo(20.0);
        assertThat(DEFAULTS.minRetryConcurrency()).isEqualTo(3);
        assertThat(Upstream.of("http://a:1").retryPolicy()).isSameAs(DEFAULTS);
    }

    /** Method, last outcome (a status or a failure kind), attempts so far, body sent and not replayable. */
    @ParameterizedTest(name = "{0} after {1}, attempt {2}, body sent {3}: {4}")
    @CsvSource({
            // The defaults: what sent nothing, any method, up to 3 attempts.
            "GET,     CONNECT_REFUSED,      1, false, true",
            "POST,    CONNECT_REFUSED,      1, false, true",
            "PATCH,   CONNECT_TIMEOUT,      2, false, true",
            "POST,    CONNECT_REFUSED,      3, false, false",
            "GET,     CONNECT_REFUSED,      1, true,  false",
            "GET,     RESET_BEFORE_HEADERS, 1, false, false",
            "GET,     RESPONSE_TIMEOUT,     1, false, false",
            "GET,     503,                  1, false, false",
            "GET,     200,                  1, false, false",
    })
    void retriesByDefaultOnlyWhatSentNothingForAnyMethodUpToThreeAttempts(
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
    void retriesEveryFailureKindThatSentNothingByDefault() {
        Set<Kind> nothingSent = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (DEFAULTS.shouldRetry(request("POST"), 1, Outcome.failure(kind, 0), false)) {
                nothingSent.add(kind);
            }
        }
        assertThat(nothingSent).allMatch(Kind::nothingSent).isEqualTo(DEFAULTS.retryOnFailures());
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
