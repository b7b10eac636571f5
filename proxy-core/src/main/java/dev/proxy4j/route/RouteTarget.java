package dev.proxy4j.route;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.XxHash64;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

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
     * Each request goes to one of several upstreams (canary, A/B):
     *
     * <ol>
     *   <li>the first {@linkplain Match match} that holds decides ({@code X-Canary: 1} to the canary);</li>
     *   <li>otherwise, when the split is {@linkplain Builder#sticky sticky} and the request has the key
     *   (a cookie, a header, the client's address), the key decides: the same key always goes to the
     *   same upstream while the weights stay the same, and when they change only the keys the change
     *   calls for move (weighted rendezvous hashing, {@link #forKey});</li>
     *   <li>otherwise a roll at random in proportion to the weights: {@code 95, 5} sends about one
     *   request in twenty to the second.</li>
     * </ol>
     *
     * Weights are 0..10000; a weight of 0 takes the upstream out of the weighted choice without
     * removing it from the configuration (a match may still send to it).
     */
    record Split(List<Share> shares, List<Match> matches, Optional<HashKey> sticky) implements RouteTarget {
        public static final int MAX_WEIGHT = 10_000;

        public Split {
            shares = List.copyOf(shares);
            matches = List.copyOf(matches);
            Objects.requireNonNull(sticky, "sticky");
            if (shares.isEmpty()) {
                throw new IllegalArgumentException("split: [] (expected: at least one upstream)");
            }
            if (shares.stream().mapToInt(Share::weight).sum() == 0) {
                throw new IllegalArgumentException("split: every weight is 0 (expected: at least one weight > 0)");
            }
            if (sticky.isPresent()) {
                Set<String> names = new HashSet<>();
                for (Share share : shares) {
                    if (!names.add(share.upstream().name())) {
                        throw new IllegalArgumentException("split: upstream name " + share.upstream().name()
                                + " appears twice (expected: a distinct name per share when sticky, the name being what a key hashes with)");
                    }
                }
            }
        }

        /** A split by weight alone, at random per request. */
        public Split(List<Share> shares) {
            this(shares, List.of(), Optional.empty());
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
         * The upstream for {@code request}: the first match's, the sticky key's ({@link #forKey}), or
         * one drawn with {@code random} in proportion to the weights ({@link #choose}).
         */
        public Upstream select(RequestContext ctx, ProxyRequest request, RandomGenerator random) {
            for (Match match : matches) {
                if (match.when().test(request)) {
                    return match.upstream();
                }
            }
            if (sticky.isPresent()) {
                String key = sticky.get().value(ctx, request);
                if (key != null) {
                    return forKey(key);
                }
            }
            return choose(random.nextInt(totalWeight()));
        }

        /**
         * The upstream a sticky key goes to, by weighted rendezvous hashing: each share with a weight
         * scores {@code -ln(u) / weight}, u in (0, 1) being XXH64 of the share's upstream name seeded
         * with XXH64 of the key, and the lowest score wins. A share wins a key with probability
         * weight / total. When one share's weight changes (or a share is added, or taken to 0), only
         * keys to or from that share move, as few as the change calls for; with two shares every
         * change is so. (Weights laid out as ranges would also move keys between shares whose weights
         * stayed, once a range before them changed.) Changing several weights at once may move some
         * keys between the others too. The same on every machine, so proxies agree.
         */
        public Upstream forKey(String key) {
            long seed = XxHash64.hash(key, 0);
            Share best = shares.get(0);
            double bestScore = Double.POSITIVE_INFINITY;
            for (Share share : shares) {
                if (share.weight() == 0) {
                    continue;
                }
                long hash = XxHash64.hash(share.upstream().name(), seed);
                double u = ((hash >>> 11) + 0.5) * 0x1.0p-53;
                double score = -StrictMath.log(u) / share.weight();
                if (score < bestScore) {
                    bestScore = score;
                    best = share;
                }
            }
            return best.upstream();
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

        /** The shares' upstreams, then the matches' that are not among them, each once, in declaration order. */
        @Override
        public List<Upstream> upstreams() {
            List<Upstream> all = new ArrayList<>();
            Set<Upstream> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Share share : shares) {
                if (seen.add(share.upstream())) {
                    all.add(share.upstream());
                }
            }
            for (Match match : matches) {
                if (seen.add(match.upstream())) {
                    all.add(match.upstream());
                }
            }
            return List.copyOf(all);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("split ").append(shares);
            sticky.ifPresent(key -> text.append(" sticky by ").append(key));
            for (Match match : matches) {
                text.append(", ").append(match);
            }
            return text.toString();
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

        /** Requests for which {@code when} holds go to {@code upstream}, whatever the weights. */
        public record Match(RequestPredicate when, Upstream upstream) {
            public Match {
                Objects.requireNonNull(when, "when");
                Objects.requireNonNull(upstream, "upstream");
            }

            @Override
            public String toString() {
                return "when " + when + " to " + upstream.name();
            }
        }

        /** Builds a {@link Split}. */
        public static final class Builder {
            private final List<Share> shares = new ArrayList<>();
            private final List<Match> matches = new ArrayList<>();
            private Optional<HashKey> sticky = Optional.empty();

            private Builder() {
            }

            public Builder upstream(Upstream upstream, int weight) {
                shares.add(new Share(upstream, weight));
                return this;
            }

            public Builder upstream(String uri, int weight) {
                return upstream(Upstream.of(uri), weight);
            }

            /**
             * Requests with {@code key} (e.g. {@code HashKey.cookie("session")}, {@code HashKey.clientIp()})
             * keep going to the same share while the weights stay the same; requests without it are
             * drawn at random. Default: not sticky, every request drawn at random.
             */
            public Builder sticky(HashKey key) {
                Objects.requireNonNull(key, "key");
                if (sticky.isPresent()) {
                    throw new IllegalStateException("sticky was already set to " + sticky.get());
                }
                sticky = Optional.of(key);
                return this;
            }

            /** Requests for which {@code when} holds go to {@code upstream}; matches are tried in the order added, before the weights. */
            public Builder when(RequestPredicate when, Upstream upstream) {
                matches.add(new Match(when, upstream));
                return this;
            }

            /** Requests with header {@code name} equal to {@code value} go to {@code upstream}. */
            public Builder whenHeader(String name, String value, Upstream upstream) {
                return when(HeaderMatcher.equalTo(name, value), upstream);
            }

            /** Requests with cookie {@code name} equal to {@code value} go to {@code upstream}. */
            public Builder whenCookie(String name, String value, Upstream upstream) {
                return when(CookieMatcher.equalTo(name, value), upstream);
            }

            public Split build() {
                return new Split(shares, matches, sticky);
            }
        }
    }
}
