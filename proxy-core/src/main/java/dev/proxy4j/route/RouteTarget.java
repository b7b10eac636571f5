package dev.proxy4j.route;

import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a route sends the requests it takes: one upstream, a weighted split of upstreams (canary,
 * A/B), or a local handler (an answer the proxy builds itself, static files).
 */
public sealed interface RouteTarget permits RouteTarget.ToUpstream, RouteTarget.Split, RouteTarget.Local {

    /** The upstreams this target can send to, in declaration order. */
    List<Upstream> upstreams();

    static RouteTarget upstream(Upstream upstream) {
        return new ToUpstream(upstream);
    }

    static RouteTarget local(LocalHandler handler) {
        return new Local(handler);
    }

    /** Forwards to one upstream. */
    record ToUpstream(Upstream upstream) implements RouteTarget {
        public ToUpstream {
            Objects.requireNonNull(upstream, "upstream");
        }

        @Override
        public List<Upstream> upstreams() {
            return List.of(upstream);
        }

        @Override
        public String toString() {
            return upstream.name();
        }
    }

    /** Answered by the proxy itself. */
    record Local(LocalHandler handler) implements RouteTarget {
        public Local {
            Objects.requireNonNull(handler, "handler");
        }

        @Override
        public List<Upstream> upstreams() {
            return List.of();
        }

        @Override
        public String toString() {
            return "local " + handler;
        }
    }

    /**
     * Each request goes to one of several upstreams, chosen at random in proportion to their
     * weights: {@code 95, 5} sends about one request in twenty to the second. Weights are 0..10000;
     * a weight of 0 takes the upstream out of the split without removing it from the configuration.
     */
    record Split(List<Share> shares) implements RouteTarget {
        public static final int MAX_WEIGHT = 10_000;

        public Split {
            shares = List.copyOf(shares);
            if (shares.isEmpty()) {
                throw new IllegalArgumentException("split: [] (expected: at least one upstream)");
            }
            if (shares.stream().mapToInt(Share::weight).sum() == 0) {
                throw new IllegalArgumentException("split: every weight is 0 (expected: at least one weight > 0)");
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        /** The sum of the weights. */
        public int totalWeight() {
            int total = 0;
            for (Share share : shares) {
                total += share.weight();
            }
            return total;
        }

        /**
         * The upstream for a roll in {@code 0 .. totalWeight() - 1}: the rolls are laid out share after
         * share, each as wide as its weight. The proxy rolls uniformly at random per request.
         */
        public Upstream choose(int roll) {
            if (roll < 0 || roll >= totalWeight()) {
                throw new IllegalArgumentException("roll: " + roll + " (expected: 0.." + (totalWeight() - 1) + ")");
            }
            int left = roll;
            for (Share share : shares) {
                if (left < share.weight()) {
                    return share.upstream();
                }
                left -= share.weight();
            }
            throw new AssertionError("roll " + roll + " beyond " + shares);
        }

        @Override
        public List<Upstream> upstreams() {
            return shares.stream().map(Share::upstream).toList();
        }

        @Override
        public String toString() {
            return "split " + shares;
        }

        /** One upstream of a split, with its weight. */
        public record Share(Upstream upstream, int weight) {
            public Share {
                Objects.requireNonNull(upstream, "upstream");
                if (weight < 0 || weight > MAX_WEIGHT) {
                    throw new IllegalArgumentException(
                            "weight: " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
                }
            }

            @Override
            public String toString() {
                return upstream.name() + "=" + weight;
            }
        }

        /** Builds a {@link Split}. */
        public static final class Builder {
            private final List<Share> shares = new ArrayList<>();

            private Builder() {
            }

            public Builder upstream(Upstream upstream, int weight) {
                shares.add(new Share(upstream, weight));
                return this;
            }

            public Builder upstream(String uri, int weight) {
                return upstream(Upstream.of(uri), weight);
            }

            public Split build() {
                return new Split(shares);
            }
        }
    }
}
