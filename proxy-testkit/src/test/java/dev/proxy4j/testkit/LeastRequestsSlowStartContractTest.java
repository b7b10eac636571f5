package dev.proxy4j.testkit;

import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.SlowStart;
import java.time.Duration;

class LeastRequestsSlowStartContractTest extends LoadBalancerContract {

    @Override
    protected LoadBalancer loadBalancer() {
        return LoadBalancer.leastRequests(SlowStart.of(Duration.ofMinutes(1)));
    }
}
