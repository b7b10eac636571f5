package dev.proxy4j.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TickerTest {

    @Test
    void theSystemTickerNeverGoesBackwards() {
        Ticker ticker = Ticker.system();
        long previous = ticker.nanos();
        for (int i = 0; i < 1000; i++) {
            long now = ticker.nanos();
            assertThat(now).isGreaterThanOrEqualTo(previous);
            previous = now;
        }
    }
}
