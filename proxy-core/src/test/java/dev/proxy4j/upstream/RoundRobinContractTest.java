package dev.proxy4j.upstream;

class RoundRobinContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.roundRobin();
    }
}
