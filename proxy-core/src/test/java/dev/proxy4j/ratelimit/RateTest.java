package dev.proxy4j.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

    @Test
    void ratesAreWrittenAsNginxWritesThem() {
        assertThat(Rate.parse("10r/s")).isEqualTo(Rate.perSecond(10)).hasToString("10r/s");
        assertThat(Rate.parse("600r/m")).isEqualTo(Rate.perMinute(600)).hasToString("600r/m");
        assertThat(Rate.parse("10r/s").interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(Rate.parse("600r/m").interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(Rate.parse("1r/m").interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(Rate.parse("3r/s").interval()).isEqualTo(Duration.ofNanos(333_333_333));
    }

    @Test
    void anythingElseIsRefusedNamingTheValue() {
        for (String bad : new String[] {"10", "10r/h", "r/s", "0r/s", "-1r/s", "10 r/s", "1.5r/s"}) {
            assertThatThrownBy(() -> Rate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rate: ");
        }
        assertThatThrownBy(() -> Rate.parse("10r/h"))
                .hasMessage("rate: \"10r/h\" (expected: requests per second or minute, as 10r/s or 600r/m)");
        assertThatThrownBy(() -> Rate.parse("0r/s")).hasMessage("rate: 0 (expected: >= 1 request per period)");
        assertThatThrownBy(() -> Rate.parse("5000000r/s")).hasMessageContaining("at most 1000000r/s");
    }

    @Test
    void aBurstIsBounded() {
        assertThatThrownBy(() -> new Quota(Rate.perSecond(1), -1)).hasMessage("burst: -1 (expected: 0..1000000)");
    }
}
