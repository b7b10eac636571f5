package dev.proxy4j.upstream;

/**
 * How an upstream spreads requests over its endpoints: a strategy that makes one
 * {@link EndpointSelector} per upstream (as Armeria's {@code EndpointSelectionStrategy} does).
 * Implementations are immutable and may be shared by many upstreams; the state lives in the
 * selectors. Third-party implementations can check themselves with the testkit's
 * {@code LoadBalancerContract}.
 */
public interface LoadBalancer {

    /**
     * A new selector over {@code group}'s members, as they are at each selection: the group may
     * change while the selector is in use.
     */
    EndpointSelector newSelector(EndpointGroup group);

    /**
     * Each selectable member in turn, ignoring weights: a, b, c, a, b, c, ... Lock-free. When
     * members change, the rotation goes on from where it was over the new members.
     */
    static LoadBalancer roundRobin() {
        return RoundRobinLoadBalancer.INSTANCE;
    }

    /**
     * nginx's smooth weighted round-robin: each endpoint is picked {@code weight} times per
     * {@code sum of weights} picks, spread out rather than in runs (weights 5, 1, 1 give
     * a, a, b, a, c, a, a). With equal weights this is {@link #roundRobin()}. Lock-free unless the
     * weights' period (their sum, divided by their greatest common divisor) exceeds 10,000. When
     * members or weights change, the next selection works the order out again for the new weights.
     */
    static LoadBalancer weightedRoundRobin() {
        return WeightedRoundRobinLoadBalancer.INSTANCE;
    }
}
