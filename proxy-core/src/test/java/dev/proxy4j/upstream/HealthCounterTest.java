package dev.proxy4j.upstream;

import static dev.proxy4j.upstream.HealthCounter.Change.NONE;
import static dev.proxy4j.upstream.HealthCounter.Change.WENT_DOWN;
import static dev.proxy4j.upstream.HealthCounter.Change.WENT_UP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthCounterTest {

    private final HealthCounter counter = new HealthCounter(2, 3);

    @Test
    void startsUpButUnprovenSoOneFailedFirstCheckTakesItDownAsHaproxy() {
        assertThat(counter.isUp()).isTrue();

        assertThat(counter.failed()).isEqualTo(WENT_DOWN);
        assertThat(counter.isUp()).isFalse();
    }

    @Test
    void goesDownAfterFallFailedChecksInARowOncePassed() {
        counter.passed();

        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.isUp()).isTrue();
        assertThat(counter.failed()).isEqualTo(WENT_DOWN);
        assertThat(counter.failuresInARow()).isEqualTo(3);
        assertThat(counter.failed()).isEqualTo(NONE);
    }

    @Test
    void aPassedCheckBetweenFailuresStartsTheFallAgain() {
        counter.passed();
        counter.failed();
        counter.failed();
        counter.passed();

        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.isUp()).isTrue();
        assertThat(counter.failed()).isEqualTo(WENT_DOWN);
    }

    @Test
    void comesBackAfterRisePassedChecksInARow() {
        counter.failed();

        assertThat(counter.passed()).isEqualTo(NONE);
        assertThat(counter.isUp()).isFalse();
        assertThat(counter.passed()).isEqualTo(WENT_UP);
        assertThat(counter.passesInARow()).isEqualTo(2);
        assertThat(counter.passed()).isEqualTo(NONE);
    }

    @Test
    void aFailedCheckWhileRisingStartsTheRiseAgain() {
        counter.failed();
        counter.passed();
        counter.failed();

        assertThat(counter.passed()).isEqualTo(NONE);
        assertThat(counter.passed()).isEqualTo(WENT_UP);
    }

    @Test
    void isFullyUpAfterComingBackSoItTakesFallFailuresToGoDownAgain() {
        counter.failed();
        counter.passed();
        counter.passed();

        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.failed()).isEqualTo(NONE);
        assertThat(counter.failed()).isEqualTo(WENT_DOWN);
    }

    @Test
    void startsDownWhenToldSoAndComesBackAfterRise() {
        HealthCounter down = new HealthCounter(2, 3, false);

        assertThat(down.isUp()).isFalse();
        assertThat(down.passed()).isEqualTo(NONE);
        assertThat(down.passed()).isEqualTo(WENT_UP);
    }

    @Test
    void riseAndFallOfOneFollowEachCheck() {
        HealthCounter eager = new HealthCounter(1, 1);
        eager.passed();

        assertThat(eager.failed()).isEqualTo(WENT_DOWN);
        assertThat(eager.passed()).isEqualTo(WENT_UP);
        assertThat(eager.failed()).isEqualTo(WENT_DOWN);
    }
}
