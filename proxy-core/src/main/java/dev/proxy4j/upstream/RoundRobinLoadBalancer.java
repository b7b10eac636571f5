package dev.proxy4j.upstream;

/** {@link LoadBalancer#roundRobin()}. */
final class RoundRobinLoadBalancer implements LoadBalancer {

    static final RoundRobinLoadBalancer INSTANCE = new RoundRobinLoadBalancer();

    private RoundRobinLoadBalancer() {
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        return new RotatingSelector(toString(), group,
                (snapshot, previous) -> new RoundRobinRotation(snapshot.version(), Selectors.toArray(snapshot)));
    }

    @Override
    public String toString() {
        return "roundRobin";
    }
}
