package dev.proxy4j.testkit;

import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.LoadBalancer;

class RingHashWithoutTheKeyContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.ringHash(HashKey.header("X-Absent"));
    }
}
