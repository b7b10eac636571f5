package dev.proxy4j.testkit;

import dev.proxy4j.upstream.LoadBalancer;

class StickyCookieContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.stickyCookie("k");
    }
}
