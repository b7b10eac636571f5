package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    /** Checks handed to the scheduler, each with the time it asked to run at. */
    private final List<long[]> dueAt = new ArrayList<>();
    private final List<Runnable> checks = new ArrayList<>();
    private final Deadlines deadlines = new Deadlines((task, delay) -> {
        checks.add(task);
        dueAt.add(new long[] {now.get() + delay});
    }, now::get);

    private final List<String> expired = new ArrayList<>();

    private Deadlines.Timeout timeout(String name) {
        return new Deadlines.Timeout() {
            @Override
            protected void expired() {
                expired.add(name);
            }
        };
    }

    /** Moves the clock to the earliest scheduled check and runs it. */
    private void runNextCheck() {
        assertThat(checks).isNotEmpty();
        Runnable check = checks.remove(0);
        now.set(Math.max(now.get(), dueAt.remove(0)[0]));
        check.run();
    }

    @Test
    void aTimeoutNotStoppedInTimeExpiresOnceAtItsDeadline() {
        Deadlines.Timeout a = timeout("a");
        deadlines.start(a, Duration.ofNanos(500));

        assertThat(checks).hasSize(1);
        assertThat(dueAt.get(0)[0]).isEqualTo(1_500);
        runNextCheck();

        assertThat(expired).containsExactly("a");
        assertThat(checks).isEmpty();
        assertThat(deadlines.pending()).isZero();
        deadlines.stop(a);
        assertThat(expired).containsExactly("a");
    }

    @Test
    void manyTimeoutsOfOneLengthShareOneScheduledCheck() {
        List<Deadlines.Timeout> started = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Deadlines.Timeout t = timeout("t" + i);
            started.add(t);
            deadlines.start(t, Duration.ofSeconds(30));
            now.addAndGet(10);
            deadlines.stop(t);
        }

        assertThat(checks).hasSize(1);
        assertThat(deadlines.pending()).isZero();
        runNextCheck();
        assertThat(expired).isEmpty();
        // Nothing left: the check does not schedule itself again.
        assertThat(checks).isEmpty();
    }

    @Test
    void aStoppedEarliestTimeoutLeavesTheCheckToTheNextDeadline() {
        Deadlines.Timeout first = timeout("first");
        Deadlines.Timeout second = timeout("second");
        deadlines.start(first, Duration.ofNanos(100));
        now.addAndGet(40);
        deadlines.start(second, Duration.ofNanos(100));
        deadlines.stop(first);

        runNextCheck();
        assertThat(expired).isEmpty();
        assertThat(checks).hasSize(1);
        assertThat(dueAt.get(0)[0]).isEqualTo(1_140);

        runNextCheck();
        assertThat(expired).containsExactly("second");
    }

    @Test
    void aLengthUsedAgainAfterItsLineEmptiedAndAnotherLengthBetweenStartsAFreshCheck() {
        Deadlines.Timeout first = timeout("first");
        deadlines.start(first, Duration.ofNanos(500));
        runNextCheck();
        assertThat(expired).containsExactly("first");
        assertThat(deadlines.pending()).isZero();

        // The same length again, once its line has emptied: a check of its own is scheduled.
        Deadlines.Timeout again = timeout("again");
        deadlines.start(again, Duration.ofNanos(500));
        assertThat(checks).hasSize(1);
        // Another length, then the first one again: each timeout joins its own length's line.
        Deadlines.Timeout other = timeout("other");
        deadlines.start(other, Duration.ofNanos(2_000));
        Deadlines.Timeout third = timeout("third");
        deadlines.start(third, Duration.ofNanos(500));
        assertThat(checks).as("one check per length").hasSize(2);

        runNextCheck();
        assertThat(expired).containsExactly("first", "again", "third");
        runNextCheck();
        assertThat(expired).containsExactly("first", "again", "third", "other");
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void timeoutsOfDifferentLengthsExpireEachAtItsOwnDeadline() {
        Deadlines.Timeout longer = timeout("long");
        Deadlines.Timeout shorter = timeout("short");
        deadlines.start(longer, Duration.ofNanos(1_000));
        deadlines.start(shorter, Duration.ofNanos(200));

        assertThat(checks).hasSize(2);
        // The short one's check comes first in time.
        Runnable longCheck = checks.remove(0);
        long longDue = dueAt.remove(0)[0];
        runNextCheck();
        assertThat(expired).containsExactly("short");

        now.set(longDue);
        longCheck.run();
        assertThat(expired).containsExactly("short", "long");
    }

    @Test
    void aTimeoutStoppedBeforeItIsStartedNeverStarts() {
        Deadlines.Timeout a = timeout("a");
        deadlines.stop(a);
        deadlines.start(a, Duration.ofNanos(100));

        assertThat(checks).isEmpty();
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void aSecondStartOfOneTimeoutKeepsItsFirstDeadline() {
        Deadlines.Timeout a = timeout("a");
        deadlines.start(a, Duration.ofNanos(100));
        now.addAndGet(90);
        deadlines.start(a, Duration.ofNanos(100));

        assertThat(deadlines.pending()).isOne();
        runNextCheck();
        assertThat(now.get()).isEqualTo(1_100);
        assertThat(expired).containsExactly("a");
    }

    @Test
    void onlyTheDueTimeoutsExpireAndTheCheckComesBackForTheRest() {
        Deadlines.Timeout a = timeout("a");
        Deadlines.Timeout b = timeout("b");
        Deadlines.Timeout c = timeout("c");
        deadlines.start(a, Duration.ofNanos(100));
        now.addAndGet(10);
        deadlines.start(b, Duration.ofNanos(100));
        now.addAndGet(50);
        deadlines.start(c, Duration.ofNanos(100));

        now.set(1_110);
        checks.remove(0).run();
        dueAt.remove(0);
        assertThat(expired).containsExactly("a", "b");
        assertThat(deadlines.pending()).isOne();
        assertThat(dueAt.get(0)[0]).isEqualTo(1_160);
        runNextCheck();
        assertThat(expired).containsExactly("a", "b", "c");
    }
}
