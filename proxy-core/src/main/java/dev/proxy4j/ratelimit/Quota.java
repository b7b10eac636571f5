package dev.proxy4j.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a key may use: one request per {@link Rate#interval()}, and up to {@code burst} more ahead
 * of that rate. An idle key is admitted {@code 1 + burst} requests at once, then one per interval.
 *
 * @param rate the sustained rate
 * @param burst requests beyond the rate a key may be ahead by, 0..1000000 (nginx's {@code burst=})
 */
public record Quota(Rate rate, int burst) {

    public static final int MAX_BURST = 1_000_000;

    public Quota {
        Objects.requireNonNull(rate, "rate");
        if (burst < 0 || burst > MAX_BURST) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: 0.." + MAX_BURST + ")");
        }
    }

    /** The emission interval in nanoseconds. */
    public long intervalNanos() {
        return rate.intervalNanos();
    }

    /**
     * How long a key's state can matter after its last request: {@code (burst + 1)} intervals. A key
     * untouched for longer is back where an unknown key starts, so forgetting it changes nothing.
     */
    public Duration holdTime() {
        return Duration.ofNanos((burst + 1L) * intervalNanos());
    }
}
