package dev.proxy4j.testkit;

import dev.proxy4j.upstream.LoadBalancer;

class StickyCookieOverLeastRequestsContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.stickyCookie("srv", LoadBalancer.leastRequests());
    }
}
