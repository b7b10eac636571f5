package dev.proxy4j.testkit;

import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.LoadBalancer;

class MaglevByPathContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.maglev(HashKey.path());
    }
}
