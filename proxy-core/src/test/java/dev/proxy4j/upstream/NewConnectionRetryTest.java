package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reset before any response byte on a kept-alive connection (the backend closed it as the request
 * went out) is sent once more on a new connection, outside the attempts and the budget, when sending
 * it again is safe: an idempotent method, or a body not started, and a body that can be sent again.
 */
class NewConnectionRetryTest {

    private static final RetryPolicy DEFAULTS = RetryPolicy.defaults();
    private static final ProxyRequest GET = ProxyRequest.builder().method("GET").path("/").build();
    private static final ProxyRequest POST = ProxyRequest.builder().method("POST").path("/").build();
    private static final Outcome RESET = Outcome.failure(Kind.RESET_BEFORE_HEADERS, 0);

    @Test
    void sendsAGetAgainAfterAResetOnAReusedConnection() {
        assertThat(DEFAULTS.retryOnNewConnection(GET, RESET, true, false, false)).isTrue();
        assertThat(DEFAULTS.retryOnNewConnection(GET, RESET, true, true, false)).as("a replayable body went").isTrue();
    }

    @Test
    void notOnAConnectionThatWasNew() {
        assertThat(DEFAULTS.retryOnNewConnection(GET, RESET, false, false, false)).isFalse();
    }

    @Test
    void aPostOnlyWhenNoByteOfItsBodyWent() {
        assertThat(DEFAULTS.retryOnNewConnection(POST, RESET, true, false, false)).isTrue();
        assertThat(DEFAULTS.retryOnNewConnection(POST, RESET, true, true, false)).isFalse();
        assertThat(DEFAULTS.retryOnNewConnection(POST, RESET, true, true, true)).isFalse();
    }

    @Test
    void notWhenTheBodyCannotBeSentAgain() {
        assertThat(DEFAULTS.retryOnNewConnection(GET, RESET, true, true, true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "RESET_BEFORE_HEADERS")
    void onlyAfterAResetBeforeTheResponse(Kind kind) {
        assertThat(DEFAULTS.retryOnNewConnection(GET, Outcome.failure(kind, 0), true, false, false)).isFalse();
    }

    @Test
    void notAfterAResponse() {
        assertThat(DEFAULTS.retryOnNewConnection(GET, Outcome.response(502, 0), true, false, false)).isFalse();
    }

    @Test
    void notWhenThePolicyNeverRetries() {
        assertThat(RetryPolicy.none().retryOnNewConnection(GET, RESET, true, false, false)).isFalse();
    }

    @Test
    void whateverTheRetryBudgetAndTheResetKindsThePolicyRetries() {
        RetryPolicy stingy = RetryPolicy.builder().budgetPercent(0).minRetryConcurrency(0)
                .retryOnFailures(Kind.CONNECT_REFUSED).build();
        assertThat(stingy.retryOnNewConnection(GET, RESET, true, false, false)).isTrue();
    }
}
