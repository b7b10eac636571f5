package dev.proxy4j.internal;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void positiveDurationRejectsZeroAndNegative() {
        assertThat(Checks.positive("drainTimeout", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
        assertThatThrownBy(() -> Checks.positive("drainTimeout", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drainTimeout: PT0S (expected: positive)");
        assertThatThrownBy(() -> Checks.positive("drainTimeout", Duration.ofSeconds(-3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drainTimeout: PT-3S (expected: positive)");
        assertThatThrownBy(() -> Checks.positive("drainTimeout", (Duration) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("drainTimeout");
    }

    @Test
    void positiveOrZeroDurationRejectsOnlyNegative() {
        assertThat(Checks.positiveOrZero("idleTimeout", Duration.ZERO)).isZero();
        assertThatThrownBy(() -> Checks.positiveOrZero("idleTimeout", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT-1S (expected: positive, or zero for no limit)");
    }

    @Test
    void positiveNumbersRejectZeroAndNegative() {
        assertThat(Checks.positive("weight", 1)).isEqualTo(1);
        assertThat(Checks.positive("bytes", 1L)).isEqualTo(1L);
        assertThatThrownBy(() -> Checks.positive("weight", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 0 (expected: > 0)");
        assertThatThrownBy(() -> Checks.positive("bytes", -1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes: -1 (expected: > 0)");
    }

    @Test
    void portAcceptsZeroTo65535() {
        assertThat(Checks.port("port", 0)).isZero();
        assertThat(Checks.port("port", 65535)).isEqualTo(65535);
        assertThatThrownBy(() -> Checks.port("adminPort", 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adminPort: 70000 (expected: 0..65535, 0 for any free port)");
    }
}
