package dev.proxy4j.upstream;

import java.util.List;

/** {@link LoadBalancer#roundRobin()}. */
final class RoundRobinLoadBalancer implements LoadBalancer {

    static final RoundRobinLoadBalancer INSTANCE = new RoundRobinLoadBalancer();

    private RoundRobinLoadBalancer() {
    }

    @Override
    public EndpointSelector newSelector(List<Endpoint> endpoints) {
        return new RoundRobinSelector(Selectors.toArray(endpoints));
    }

    @Override
    public String toString() {
        return "roundRobin";
    }
}
