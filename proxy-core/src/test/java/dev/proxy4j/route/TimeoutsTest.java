package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

    @Test
    void defaultsWaitAMinuteForHeadersAndSilenceAndForeverForTheWhole() {
        assertThat(Timeouts.DEFAULTS).isEqualTo(new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ZERO));
    }

    @Test
    void zeroMeansNoLimit() {
        Timeouts none = new Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO);

        assertThat(none.responseHeaders()).isZero();
        assertThat(none.idle()).isZero();
        assertThat(none.total()).isZero();
    }

    @Test
    void withersChangeOneTimeoutOnly() {
        Timeouts timeouts = Timeouts.DEFAULTS
                .withResponseHeaders(Duration.ofSeconds(5))
                .withIdle(Duration.ofSeconds(7))
                .withTotal(Duration.ofSeconds(9));

        assertThat(timeouts).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(9)));
        assertThat(Timeouts.DEFAULTS.withIdle(Duration.ofSeconds(1)))
                .isEqualTo(new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ZERO));
    }

    @Test
    void rejectsNegativeTimeoutsNamingTheField() {
        Duration negative = Duration.ofMillis(-1);

        assertThatThrownBy(() -> Timeouts.DEFAULTS.withResponseHeaders(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("responseHeadersTimeout: PT-0.001S (expected: positive, or zero for no limit)");
        assertThatThrownBy(() -> Timeouts.DEFAULTS.withIdle(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT-0.001S (expected: positive, or zero for no limit)");
        assertThatThrownBy(() -> Timeouts.DEFAULTS.withTotal(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("totalTimeout: PT-0.001S (expected: positive, or zero for no limit)");
    }

    @Test
    void rejectsNullNamingTheField() {
        assertThatThrownBy(() -> new Timeouts(Duration.ZERO, null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("idleTimeout");
    }
}
