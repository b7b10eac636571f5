package dev.proxy4j.upstream;

import org.jspecify.annotations.Nullable;

/**
 * {@link LoadBalancer#weightedRoundRobin()}: nginx's smooth weighted round-robin. The order it
 * picks endpoints in is fixed by the weights and repeats every {@code sum / gcd} picks, so up to
 * {@value #MAX_SCHEDULE} picks it is worked out once per change of the group and walked by an
 * atomic counter; beyond that the selector runs nginx's algorithm under a lock. Equal weights are
 * plain round-robin.
 */
final class WeightedRoundRobinLoadBalancer implements LoadBalancer {

    /** The longest schedule worked out in advance: 40 KB. */
    static final int MAX_SCHEDULE = 10_000;

    static final WeightedRoundRobinLoadBalancer INSTANCE = new WeightedRoundRobinLoadBalancer(MAX_SCHEDULE);

    private final int maxSchedule;

    /** {@code maxSchedule} is a parameter only so that tests can reach the locking rotation. */
    WeightedRoundRobinLoadBalancer(int maxSchedule) {
        this.maxSchedule = maxSchedule;
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        return new RotatingSelector(toString(), group, this::rotation);
    }

    private Rotation rotation(EndpointGroup.Snapshot snapshot, @Nullable Rotation previous) {
        EndpointState[] members = Selectors.toArray(snapshot);
        // Weights are read once, here: a change of weight publishes a new snapshot, hence a new rotation.
        int[] weights = new int[members.length];
        int gcd = 0;
        for (int i = 0; i < members.length; i++) {
            weights[i] = members[i].endpoint().weight();
            gcd = gcd(gcd, weights[i]);
        }
        long period = 0;
        for (int i = 0; i < members.length; i++) {
            weights[i] /= gcd;
            period += weights[i];
        }
        if (period == members.length) {
            return new RoundRobinRotation(snapshot.version(), members);
        }
        if (period <= maxSchedule) {
            return new ScheduledRotation(snapshot.version(), members, SmoothWeighted.schedule(weights, (int) period));
        }
        return new LockingRotation(snapshot.version(), members, weights, previous);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public String toString() {
        return "weightedRoundRobin";
    }
}
