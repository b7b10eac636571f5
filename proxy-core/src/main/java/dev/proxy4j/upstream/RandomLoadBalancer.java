package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.time.Ticker;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * {@link LoadBalancer#random()}: each pick draws a member at random in proportion to its weight
 * (under {@link SlowStart} while one ramps up). Lock-free: a cumulative table per snapshot and
 * the thread's own random numbers.
 */
final class RandomLoadBalancer implements LoadBalancer {

    static final RandomLoadBalancer INSTANCE = new RandomLoadBalancer(null, ThreadLocalRandom::current);

    private final @Nullable SlowStart slowStart;
    private final Supplier<? extends RandomGenerator> random;

    /** {@code random} is a parameter so that tests can draw from a seeded generator. */
    RandomLoadBalancer(@Nullable SlowStart slowStart, Supplier<? extends RandomGenerator> random) {
        this.slowStart = slowStart;
        this.random = random;
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        PerSnapshot<WeightedMembers> members = new PerSnapshot<>(group, s -> new WeightedMembers(s, slowStart));
        Ticker ticker = group.ticker();
        return new EndpointSelector() {
            @Override
            public @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
                WeightedMembers m = members.get();
                if (m.members.length == 0) {
                    return null;
                }
                long now = slowStart == null ? 0 : ticker.nanos();
                if (excluded.isEmpty() && !m.ramping(now)) {
                    return m.draw(random.get());
                }
                return m.drawBy(i -> m.weight(i, now), excluded, random.get());
            }

            @Override
            public String toString() {
                return RandomLoadBalancer.this + group.snapshot().endpoints().toString();
            }
        };
    }

    @Override
    public String toString() {
        return slowStart == null ? "random" : "random(" + slowStart + ")";
    }
}
