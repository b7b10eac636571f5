package dev.proxy4j.upstream;

import dev.proxy4j.internal.Checks;
import java.math.BigInteger;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an upstream spreads requests over its endpoints: a strategy that makes one
 * {@link EndpointSelector} per upstream (as Armeria's {@code EndpointSelectionStrategy} does).
 * Implementations are immutable and may be shared by many upstreams; the state lives in the
 * selectors. Third-party implementations can check themselves with the testkit's
 * {@code LoadBalancerContract}.
 */
public interface LoadBalancer {

    /**
     * A new selector over {@code group}'s members, as they are at each selection: the group may
     * change while the selector is in use.
     */
    EndpointSelector newSelector(EndpointGroup group);

    /**
     * Each selectable member in turn, ignoring weights: a, b, c, a, b, c, ... Lock-free. When
     * members change, the rotation goes on from where it was over the new members.
     */
    static LoadBalancer roundRobin() {
        return RoundRobinLoadBalancer.INSTANCE;
    }

    /**
     * nginx's smooth weighted round-robin: each endpoint is picked {@code weight} times per
     * {@code sum of weights} picks, spread out rather than in runs (weights 5, 1, 1 give
     * a, a, b, a, c, a, a). With equal weights this is {@link #roundRobin()}. Lock-free unless the
     * weights' period (their sum, divided by their greatest common divisor) exceeds 10,000. When
     * members or weights change, the next selection works the order out again for the new weights.
     */
    static LoadBalancer weightedRoundRobin() {
        return WeightedRoundRobinLoadBalancer.INSTANCE;
    }

    /** Points on a hash ring per unit of an endpoint's weight: 160, as nginx's {@code hash consistent} and ketama. */
    int DEFAULT_POINTS_PER_WEIGHT = 160;
    /** The most points a hash ring gets, as Envoy's {@code maximum_ring_size}: 8M (96 MiB). */
    int MAX_RING_SIZE = 8 * 1024 * 1024;
    /** Envoy's Maglev {@code table_size} default: a prime, so that every skip walks the whole table. */
    int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

    /**
     * A member drawn at random in proportion to its weight, for each request. Lock-free (a
     * cumulative table per change of the group, the thread's own random numbers). Spreads as
     * evenly as round-robin over many requests, with no shared counter; no memory of load.
     */
    static LoadBalancer random() {
        return RandomLoadBalancer.INSTANCE;
    }

    /** {@link #random()}, each member that joins or recovers ramping up to its weight over {@code slowStart}. */
    static LoadBalancer random(SlowStart slowStart) {
        return new RandomLoadBalancer(Objects.requireNonNull(slowStart, "slowStart"), ThreadLocalRandom::current);
    }

    /**
     * Envoy's least-request balancer, which sends less to endpoints that are slow or busy: with equal
     * weights, the one with fewer requests in flight of two drawn at random (Envoy's default
     * {@code choice_count} of 2); with unequal weights, a member drawn in proportion to
     * {@code weight / (inFlight + 1)} (Envoy's {@code active_request_bias} of 1). Lock-free; with
     * unequal weights one pass over the members per pick.
     */
    static LoadBalancer leastRequests() {
        return LeastRequestsLoadBalancer.INSTANCE;
    }

    /** {@link #leastRequests()}, each member that joins or recovers ramping up to its weight over {@code slowStart}. */
    static LoadBalancer leastRequests(SlowStart slowStart) {
        return new LeastRequestsLoadBalancer(Objects.requireNonNull(slowStart, "slowStart"), ThreadLocalRandom::current);
    }

    /**
     * Of two different members drawn at random, the one with fewer requests in flight; weights are
     * ignored (Mitzenmacher's power of two choices, nginx's {@code random two least_conn}). Lock-free.
     */
    static LoadBalancer powerOfTwoChoices() {
        return PowerOfTwoChoicesLoadBalancer.INSTANCE;
    }

    /**
     * Consistent hashing on a ring (ketama; nginx's {@code hash ... consistent}): requests with the
     * same {@code key} go to the same endpoint while the selectable endpoints stay the same; adding
     * one to N moves about 1/(N+1) of the keys, all to it, and removing one moves only its keys.
     * Each endpoint has {@value #DEFAULT_POINTS_PER_WEIGHT} points a unit of weight; the ring is made
     * once per change of the group and a lookup is a binary search. Requests without the key are
     * spread at random by weight.
     */
    static LoadBalancer ringHash(HashKey key) {
        return ringHash(key, DEFAULT_POINTS_PER_WEIGHT);
    }

    /**
     * {@link #ringHash(HashKey)} with {@code pointsPerWeight} points a unit of weight (1..65536),
     * so a ring of {@code pointsPerWeight * the sum of the weights} points, at most
     * {@value #MAX_RING_SIZE}: more points share keys out more evenly, in more memory (12 bytes a
     * point) and a slower rebuild.
     */
    static LoadBalancer ringHash(HashKey key, int pointsPerWeight) {
        Objects.requireNonNull(key, "key");
        if (pointsPerWeight < 1 || pointsPerWeight > 65_536) {
            throw new IllegalArgumentException("pointsPerWeight: " + pointsPerWeight + " (expected: 1..65536)");
        }
        return ConsistentHashLoadBalancer.ringHash(key, pointsPerWeight);
    }

    /**
     * Consistent hashing by Maglev (Google's, Envoy's): as {@link #ringHash(HashKey)}, keys spread
     * more evenly and are looked up in O(1) from a table of {@value #DEFAULT_MAGLEV_TABLE_SIZE}
     * slots (256 KiB), at the cost of a few more keys moving when members change. The table is made
     * once per change of the group.
     */
    static LoadBalancer maglev(HashKey key) {
        return maglev(key, DEFAULT_MAGLEV_TABLE_SIZE);
    }

    /** {@link #maglev(HashKey)} with a table of {@code tableSize} slots: a prime, 3..16777213, well above the members' count. */
    static LoadBalancer maglev(HashKey key, int tableSize) {
        Objects.requireNonNull(key, "key");
        if (tableSize < 3 || tableSize > 16_777_213 || !BigInteger.valueOf(tableSize).isProbablePrime(30)) {
            throw new IllegalArgumentException("tableSize: " + tableSize + " (expected: a prime in 3..16777213)");
        }
        return ConsistentHashLoadBalancer.maglev(key, tableSize);
    }

    /**
     * Sticky sessions by cookie (HAProxy's {@code cookie insert}): a request whose cookie
     * {@code cookieName} names a selectable endpoint goes there; any other request (no cookie, an
     * unknown value, its endpoint drained, unhealthy or already tried) goes where
     * {@link #weightedRoundRobin()} says, and the response sets the cookie
     * ({@code NAME=VALUE; Path=/; HttpOnly}, and {@code Secure} over TLS) to the endpoint that
     * answered. The value is opaque: a hash of the endpoint's scheme, host and port, not its address.
     */
    static LoadBalancer stickyCookie(String cookieName) {
        return stickyCookie(cookieName, weightedRoundRobin());
    }

    /** {@link #stickyCookie(String)}, with {@code fallback} choosing for requests the cookie does not pin. */
    static LoadBalancer stickyCookie(String cookieName, LoadBalancer fallback) {
        Objects.requireNonNull(cookieName, "cookieName");
        Objects.requireNonNull(fallback, "fallback");
        if (!Checks.isToken(cookieName)) {
            throw Checks.invalid("cookieName", cookieName, "a token as RFC 6265 defines a cookie name");
        }
        return new StickyCookieLoadBalancer(cookieName, fallback);
    }

    /**
     * The built-in balancer {@code spec} names, as the launcher's {@code --lb} flag and the config
     * file's {@code loadBalancer} spell it: {@code round-robin}, {@code weighted-round-robin},
     * {@code random}, {@code least-requests}, {@code p2c}, {@code ring-hash:KEY}, {@code maglev:KEY}
     * or {@code sticky-cookie:NAME}, where KEY is {@code ip}, {@code path}, {@code header:NAME},
     * {@code cookie:NAME} or {@code query:NAME} ({@link HashKey#parse}). Each with its defaults.
     *
     * @throws IllegalArgumentException naming the spec when it is none of these
     */
    static LoadBalancer parse(String spec) {
        return LoadBalancerSpec.parse(spec);
    }
}
