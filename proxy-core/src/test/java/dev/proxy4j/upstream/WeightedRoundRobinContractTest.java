package dev.proxy4j.upstream;

class WeightedRoundRobinContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.weightedRoundRobin();
    }
}
