package dev.proxy4j.upstream;

import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One snapshot's selectable members and their weights, as the random and least-requests balancers
 * draw from them: a cumulative table for a draw in O(log n) while no member ramps up, and each
 * member's weight under {@link SlowStart} when one does.
 */
final class WeightedMembers {

    final EndpointState[] members;
    final boolean equalWeights;
    private final int[] weights;
    private final long[] cumulative;
    private final @Nullable SlowStart slowStart;
    private final long[] readySince;
    /** The latest {@link EndpointState#readySince()} of a member that is not warm; only when {@link #anyReady}. */
    private final long latestReady;
    private final boolean anyReady;

    WeightedMembers(EndpointGroup.Snapshot snapshot, @Nullable SlowStart slowStart) {
        this.members = Selectors.toArray(snapshot);
        this.slowStart = slowStart;
        this.weights = new int[members.length];
        this.cumulative = new long[members.length];
        this.readySince = new long[members.length];
        long total = 0;
        boolean equal = true;
        boolean any = false;
        long latest = 0;
        for (int i = 0; i < members.length; i++) {
            // Weights are read once, here: a change of weight publishes a new snapshot.
            weights[i] = members[i].endpoint().weight();
            total += weights[i];
            cumulative[i] = total;
            equal &= weights[i] == weights[0];
            readySince[i] = members[i].readySince();
            if (readySince[i] != Long.MIN_VALUE && (!any || readySince[i] - latest > 0)) {
                latest = readySince[i];
                any = true;
            }
        }
        this.equalWeights = equal;
        this.latestReady = latest;
        this.anyReady = any;
    }

    /** Whether a member's weight is still ramping up at {@code now}. */
    boolean ramping(long now) {
        return slowStart != null && anyReady && now - latestReady < slowStart.window().toNanos();
    }

    /** Member {@code i}'s weight at {@code now}, slow start applied. */
    double weight(int i, long now) {
        if (slowStart == null || readySince[i] == Long.MIN_VALUE) {
            return weights[i];
        }
        return weights[i] * slowStart.factor(now - readySince[i]);
    }

    /** A member drawn in proportion to the weights as they were set: while none ramps and none is excluded. */
    EndpointState draw(RandomGenerator random) {
        long x = random.nextLong(cumulative[cumulative.length - 1]);
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > x) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return members[low];
    }

    /** How {@link #drawBy} weighs member {@code i}; 0 or less leaves it out. */
    @FunctionalInterface
    interface Weigher {
        double weigh(int i);
    }

    /**
     * A member drawn in proportion to {@code weigher}'s weights, leaving out the excluded; null when
     * every member is excluded. Two passes rather than an array per draw: a weight that moves
     * between them (requests in flight do) makes the last member in the running take the rest.
     */
    @Nullable EndpointState drawBy(Weigher weigher, Set<Endpoint> excluded, RandomGenerator random) {
        boolean @Nullable [] skipped = excluded.isEmpty() ? null : Selectors.excludedFlags(members, excluded);
        if (skipped == null && !excluded.isEmpty()) {
            return null;
        }
        double total = 0;
        for (int i = 0; i < members.length; i++) {
            if (skipped == null || !skipped[i]) {
                total += Math.max(0, weigher.weigh(i));
            }
        }
        double x = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < members.length; i++) {
            if (skipped != null && skipped[i]) {
                continue;
            }
            last = i;
            x -= Math.max(0, weigher.weigh(i));
            if (x < 0) {
                return members[i];
            }
        }
        return last < 0 ? null : members[last];
    }
}
