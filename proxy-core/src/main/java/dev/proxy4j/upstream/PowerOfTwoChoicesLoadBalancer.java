package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * {@link LoadBalancer#powerOfTwoChoices()}: of two different members drawn at random, the one with
 * fewer requests in flight (the first drawn on a tie); weights are not looked at. Lock-free.
 */
final class PowerOfTwoChoicesLoadBalancer implements LoadBalancer {

    static final PowerOfTwoChoicesLoadBalancer INSTANCE = new PowerOfTwoChoicesLoadBalancer(ThreadLocalRandom::current);

    private final Supplier<? extends RandomGenerator> random;

    /** {@code random} is a parameter so that tests can draw from a seeded generator. */
    PowerOfTwoChoicesLoadBalancer(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        PerSnapshot<EndpointState[]> members = new PerSnapshot<>(group, Selectors::toArray);
        return new EndpointSelector() {
            @Override
            public @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
                EndpointState[] m = members.get();
                return m.length == 0 ? null : Choices.leastInFlight(m, excluded, true, random.get());
            }

            @Override
            public String toString() {
                return PowerOfTwoChoicesLoadBalancer.this + group.snapshot().endpoints().toString();
            }
        };
    }

    @Override
    public String toString() {
        return "powerOfTwoChoices";
    }
}
