package dev.proxy4j.testkit;

import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.SlowStart;
import java.time.Duration;

class RandomSlowStartContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.random(SlowStart.of(Duration.ofMinutes(1)));
    }
}
