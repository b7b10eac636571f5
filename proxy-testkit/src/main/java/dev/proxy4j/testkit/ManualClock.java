package dev.proxy4j.testkit;

import dev.proxy4j.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Time that moves only when a test says so: a {@link Clock} for wall-clock time and a {@link Ticker}
 * for elapsed time, advancing together. Hand it to any policy that takes either, then
 * {@link #advance(Duration)} instead of sleeping.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * var cache = SomePolicy.builder().clock(clock).ticker(clock).build();
 * clock.advance(Duration.ofSeconds(61));   // the entry is now stale
 * }</pre>
 *
 * Thread-safe; it never goes backwards.
 */
public final class ManualClock extends Clock implements Ticker {

    private final ZoneId zone;
    private final Object lock;
    private Instant now;
    private long nanos;

    private ManualClock(Instant now, long nanos, ZoneId zone, Object lock) {
        this.now = now;
        this.nanos = nanos;
        this.zone = zone;
        this.lock = lock;
    }

    /** A clock showing {@code start}, in UTC. */
    public static ManualClock at(Instant start) {
        return new ManualClock(Objects.requireNonNull(start, "start"), 0, ZoneOffset.UTC, new Object());
    }

    /** Moves both wall-clock and elapsed time forward. */
    public ManualClock advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: zero or positive; time never goes back)");
        }
        synchronized (lock) {
            now = now.plus(duration);
            nanos += duration.toNanos();
        }
        return this;
    }

    @Override
    public long nanos() {
        synchronized (lock) {
            return nanos;
        }
    }

    @Override
    public Instant instant() {
        synchronized (lock) {
            return now;
        }
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same time, seen in another zone; advancing either advances both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ZoneView(this, zone);
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + ']';
    }

    private static final class ZoneView extends Clock {
        private final ManualClock clock;
        private final ZoneId zone;

        ZoneView(ManualClock clock, ZoneId zone) {
            this.clock = clock;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new ZoneView(clock, zone);
        }

        @Override
        public Instant instant() {
            return clock.instant();
        }
    }
}
