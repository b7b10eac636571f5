package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void standsStillUntilAdvanced() {
        ManualClock clock = ManualClock.at(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.nanos()).isZero();
    }

    @Test
    void advancesWallClockAndElapsedTimeTogether() {
        ManualClock clock = ManualClock.at(START);
        Ticker ticker = clock;
        long before = ticker.nanos();

        clock.advance(Duration.ofSeconds(61)).advance(Duration.ofMillis(500));

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(61).plusMillis(500));
        assertThat(ticker.nanos() - before).isEqualTo(Duration.ofMillis(61_500).toNanos());
    }

    @Test
    void refusesToGoBackwards() {
        ManualClock clock = ManualClock.at(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration: PT-1S (expected: zero or positive; time never goes back)");
    }

    @Test
    void aViewInAnotherZoneMovesWithIt() {
        ManualClock clock = ManualClock.at(START);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.getZone()).isEqualTo(ZoneId.of("Z"));
    }
}
