package dev.proxy4j.upstream;

/** The weighted round-robin that locks, which the built-in uses for weights of a long period. */
class LockingWeightedRoundRobinContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return new WeightedRoundRobinLoadBalancer(0);
    }
}
