package dev.proxy4j.testkit;

import dev.proxy4j.upstream.LoadBalancer;

class LeastRequestsContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.leastRequests();
    }
}
