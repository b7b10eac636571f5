package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An upstream's {@code retry}: a number of retries with the safe defaults, or a mapping of the policy's settings. */
class RetryConfigTest {

    private static RetryPolicy policy(String retry) {
        ProxyConfig config = ConfigFile.parse("listeners: [{port: 8080}]\nroutes:\n  - upstream:\n"
                + "      endpoints: [http://127.0.0.1:9001, http://127.0.0.1:9002]\n"
                + "      retry: " + retry + "\n");
        return config.routes().routes().get(0).upstream().orElseThrow().retryPolicy();
    }

    private static void refused(String retry, String message) {
        assertThatThrownBy(() -> policy(retry)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void takesANumberOfRetriesWithTheSafeDefaults() {
        assertThat(policy("4")).isEqualTo(RetryPolicy.ofRetries(4));
        assertThat(policy("0").maxAttempts()).isEqualTo(1);
        assertThat(policy("2")).isEqualTo(RetryPolicy.defaults());
    }

    @Test
    void takesEverySettingOfThePolicyAsAMapping() {
        RetryPolicy policy = policy("""
                {retries: 3, onStatuses: [503], onFailures: [connect-refused, reset-before-headers],
                        idempotentMethods: [GET, QUERY], anyMethodWhenNothingSent: false, perTryTimeout: 2s,
                        backoff: {base: 10ms, max: 1s}, maxRetryAfter: 3s, maxReplayBodyBytes: 16KiB,
                        budgetPercent: 12.5, minRetryConcurrency: 5}""");

        assertThat(policy).isEqualTo(RetryPolicy.builder().retries(3).retryOnStatuses(503)
                .retryOnFailures(Kind.CONNECT_REFUSED, Kind.RESET_BEFORE_HEADERS).idempotentMethods("GET", "QUERY")
                .anyMethodWhenNothingSent(false).perTryTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(10), Duration.ofSeconds(1)).maxRetryAfter(Duration.ofSeconds(3))
                .maxReplayBodyBytes(16 * 1024).budgetPercent(12.5).minRetryConcurrency(5).build());
    }

    @Test
    void leavesWhatTheMappingDoesNotSayAtItsDefault() {
        assertThat(policy("{perTryTimeout: 500ms}"))
                .isEqualTo(RetryPolicy.builder().perTryTimeout(Duration.ofMillis(500)).build());
        assertThat(policy("{backoff: {max: 1s}}"))
                .isEqualTo(RetryPolicy.builder().backoff(RetryPolicy.DEFAULT_BACKOFF_BASE, Duration.ofSeconds(1)).build());
        assertThat(policy("{onStatuses: []}").retryOnStatuses()).isEmpty();
    }

    @Test
    void namesTheFieldAndTheValueThatAreWrong() {
        refused("10", "routes[0].upstream.retry: 10 (expected: a whole number 0..9)");
        refused("{retries: -1}", "routes[0].upstream.retry.retries: -1 (expected: a whole number 0..9)");
        refused("{onStatuses: [200]}", "routes[0].upstream.retry.onStatuses[0]: 200 (expected: a whole number 400..599)");
        refused("{onFailures: [reset]}", "routes[0].upstream.retry.onFailures[0]: \"reset\" (expected: one of"
                + " connect-refused, connect-timeout, response-timeout, idle-timeout, total-timeout, reset-before-headers,"
                + " reset-after-headers, malformed-response, response-body-too-large, malformed-request-body,"
                + " no-endpoint, other)");
        refused("{backoff: {base: 1s, max: 10ms}}",
                "routes[0].upstream.retry.backoff.max: PT0.01S (expected: >= backoffBase PT1S)");
        refused("{budgetPercent: 120}", "routes[0].upstream.retry.budgetPercent: 120.0 (expected: 0..100)");
        refused("{perTryTimout: 1s}", "routes[0].upstream.retry.perTryTimout: unknown key (expected: one of retries,"
                + " onStatuses, onFailures, idempotentMethods, anyMethodWhenNothingSent, perTryTimeout, backoff,"
                + " maxRetryAfter, maxReplayBodyBytes, budgetPercent, minRetryConcurrency)");
    }
}
