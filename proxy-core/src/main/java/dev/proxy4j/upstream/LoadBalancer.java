package dev.proxy4j.upstream;

import java.util.List;

/**
 * How an upstream spreads requests over its endpoints: a strategy that makes one
 * {@link EndpointSelector} per upstream (as Armeria's {@code EndpointSelectionStrategy} does).
 * Implementations are immutable and may be shared by many upstreams; the state lives in the
 * selectors. Third-party implementations can check themselves with the testkit's
 * {@code LoadBalancerContract}.
 */
public interface LoadBalancer {

    /**
     * A new selector over {@code endpoints}, in the order given. The selector keeps its own copy:
     * later changes to the list do not reach it.
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty
     */
    EndpointSelector newSelector(List<Endpoint> endpoints);

    /** Each endpoint in turn, ignoring weights: a, b, c, a, b, c, ... Lock-free. */
    static LoadBalancer roundRobin() {
        return RoundRobinLoadBalancer.INSTANCE;
    }

    /**
     * nginx's smooth weighted round-robin: each endpoint is picked {@code weight} times per
     * {@code sum of weights} picks, spread out rather than in runs (weights 5, 1, 1 give
     * a, a, b, a, c, a, a). With equal weights this is {@link #roundRobin()}. Lock-free unless the
     * weights' period (their sum, divided by their greatest common divisor) exceeds 10,000.
     */
    static LoadBalancer weightedRoundRobin() {
        return WeightedRoundRobinLoadBalancer.INSTANCE;
    }
}
