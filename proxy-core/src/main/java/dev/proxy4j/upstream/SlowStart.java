package dev.proxy4j.upstream;

import dev.proxy4j.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Slow start, as Envoy's {@code slow_start_config}: a member that joins the group, or turns healthy
 * again, gets only part of its weight at first, growing over {@code window} to all of it, so that
 * a cold backend (empty caches, a JIT not yet warm) is not handed its full share at once.
 *
 * <p>At {@code t} into the window a member's weight is multiplied by
 * {@code max(minWeightPercent / 100, (t / window) ^ (1 / aggression))}: with aggression 1 the
 * weight grows in a straight line; above 1 it grows faster at first. The members a group is made
 * with start warm (all of them starting together would leave their shares as they are). Weighted
 * balancers that take one honour it: {@link LoadBalancer#random(SlowStart)} and
 * {@link LoadBalancer#leastRequests(SlowStart)}.
 *
 * @param window how long a member ramps up; positive
 * @param aggression how fast the ramp starts: 1 is linear; positive
 * @param minWeightPercent the share of its weight a member gets at the start: more than 0, at most 100
 */
public record SlowStart(Duration window, double aggression, double minWeightPercent) {

    /** 1: a straight line, Envoy's default. */
    public static final double DEFAULT_AGGRESSION = 1.0;
    /** 10%, Envoy's default: a new member is tried from the start, if gently. */
    public static final double DEFAULT_MIN_WEIGHT_PERCENT = 10.0;

    public SlowStart {
        Checks.positive("window", Objects.requireNonNull(window, "window"));
        if (!(aggression > 0) || Double.isInfinite(aggression)) {
            throw new IllegalArgumentException("aggression: " + aggression + " (expected: > 0)");
        }
        if (!(minWeightPercent > 0 && minWeightPercent <= 100)) {
            throw new IllegalArgumentException("minWeightPercent: " + minWeightPercent + " (expected: > 0 and <= 100)");
        }
    }

    /** A linear ramp over {@code window}, starting at 10% of the weight. */
    public static SlowStart of(Duration window) {
        return new SlowStart(window, DEFAULT_AGGRESSION, DEFAULT_MIN_WEIGHT_PERCENT);
    }

    /** The same ramp with another aggression. */
    public SlowStart withAggression(double aggression) {
        return new SlowStart(window, aggression, minWeightPercent);
    }

    /** The same ramp starting at another share of the weight. */
    public SlowStart withMinWeightPercent(double minWeightPercent) {
        return new SlowStart(window, aggression, minWeightPercent);
    }

    /**
     * What a member's weight is multiplied by {@code sinceNanos} after it became ready: in
     * {@code [minWeightPercent / 100, 1]}, and 1 from the end of the window on.
     */
    double factor(long sinceNanos) {
        long windowNanos = window.toNanos();
        if (sinceNanos >= windowNanos) {
            return 1.0;
        }
        double t = Math.max(0, sinceNanos) / (double) windowNanos;
        double ramp = aggression == 1.0 ? t : Math.pow(t, 1 / aggression);
        return Math.max(minWeightPercent / 100, ramp);
    }
}
