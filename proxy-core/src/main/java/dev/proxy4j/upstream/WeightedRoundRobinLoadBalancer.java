package dev.proxy4j.upstream;

import java.util.List;

/**
 * {@link LoadBalancer#weightedRoundRobin()}: nginx's smooth weighted round-robin. The order it
 * picks endpoints in is fixed by the weights and repeats every {@code sum / gcd} picks, so up to
 * {@value #MAX_SCHEDULE} picks it is worked out once and walked by an atomic counter; beyond that
 * the selector runs nginx's algorithm under a lock. Equal weights are plain round-robin.
 */
final class WeightedRoundRobinLoadBalancer implements LoadBalancer {

    /** The longest schedule worked out in advance: 40 KB. */
    static final int MAX_SCHEDULE = 10_000;

    static final WeightedRoundRobinLoadBalancer INSTANCE = new WeightedRoundRobinLoadBalancer(MAX_SCHEDULE);

    private final int maxSchedule;

    /** {@code maxSchedule} is a parameter only so that tests can reach the locking selector. */
    WeightedRoundRobinLoadBalancer(int maxSchedule) {
        this.maxSchedule = maxSchedule;
    }

    @Override
    public EndpointSelector newSelector(List<Endpoint> endpoints) {
        Endpoint[] array = Selectors.toArray(endpoints);
        int gcd = 0;
        for (Endpoint endpoint : array) {
            gcd = gcd(gcd, endpoint.weight());
        }
        int[] weights = new int[array.length];
        long period = 0;
        for (int i = 0; i < array.length; i++) {
            weights[i] = array[i].weight() / gcd;
            period += weights[i];
        }
        if (period == array.length) {
            return new RoundRobinSelector(array);
        }
        if (period <= maxSchedule) {
            return new ScheduledWeightedSelector(array, SmoothWeighted.schedule(weights, (int) period));
        }
        return new LockingWeightedSelector(array, weights);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public String toString() {
        return "weightedRoundRobin";
    }
}
