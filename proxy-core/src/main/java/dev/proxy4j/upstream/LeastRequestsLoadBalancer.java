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
 * {@link LoadBalancer#leastRequests()}: Envoy's least-request balancer. With equal weights (and no
 * member ramping up), the better of two members drawn at random (with replacement,
 * as Envoy): the one with fewer requests in flight, the first drawn on a tie. With unequal weights,
 * a member drawn in proportion to {@code weight / (inFlight + 1) ^ bias} with Envoy's default bias
 * of 1, each weight under {@link SlowStart} while its member ramps up. Envoy keeps those weights in
 * an EDF scheduler under a lock; a draw over them is lock-free at the cost of one pass over the
 * members, and comes to the same shares.
 */
final class LeastRequestsLoadBalancer implements LoadBalancer {

    static final LeastRequestsLoadBalancer INSTANCE = new LeastRequestsLoadBalancer(null, ThreadLocalRandom::current);

    private final @Nullable SlowStart slowStart;
    private final Supplier<? extends RandomGenerator> random;

    /** {@code random} is a parameter so that tests can draw from a seeded generator. */
    LeastRequestsLoadBalancer(@Nullable SlowStart slowStart, Supplier<? extends RandomGenerator> random) {
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
                if (m.equalWeights && !m.ramping(now)) {
                    return Choices.leastInFlight(m.members, excluded, false, random.get());
                }
                // Bias 1: weight / (inFlight + 1).
                return m.drawBy(i -> m.weight(i, now) / (m.members[i].inFlight() + 1), excluded, random.get());
            }

            @Override
            public String toString() {
                return LeastRequestsLoadBalancer.this + group.snapshot().endpoints().toString();
            }
        };
    }

    @Override
    public String toString() {
        return slowStart == null ? "leastRequests" : "leastRequests(" + slowStart + ")";
    }
}
