package dev.proxy4j.upstream;

import dev.proxy4j.internal.XxHash64;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * {@link LoadBalancer#ringHash} and {@link LoadBalancer#maglev}: the request's {@link HashKey},
 * hashed with XXH64, looked up in a {@link HashTable} made once per change of the group (never per
 * request). A request with no key is looked up by a random hash, which spreads such requests by
 * weight; an excluded endpoint (a retry) gives way to the next one along the ring or table.
 */
final class ConsistentHashLoadBalancer implements LoadBalancer {

    private final String name;
    private final HashKey key;
    private final Function<EndpointState[], HashTable> tables;
    private final Supplier<? extends RandomGenerator> random;

    ConsistentHashLoadBalancer(String name, HashKey key, Function<EndpointState[], HashTable> tables) {
        this(name, key, tables, ThreadLocalRandom::current);
    }

    /** {@code random} is a parameter so that tests can draw from a seeded generator. */
    ConsistentHashLoadBalancer(String name, HashKey key, Function<EndpointState[], HashTable> tables,
            Supplier<? extends RandomGenerator> random) {
        this.name = name;
        this.key = key;
        this.tables = tables;
        this.random = random;
    }

    static ConsistentHashLoadBalancer ringHash(HashKey key, int pointsPerWeight) {
        return new ConsistentHashLoadBalancer("ringHash(" + key + ", pointsPerWeight=" + pointsPerWeight + ")", key,
                members -> new HashRing(members, pointsPerWeight, LoadBalancer.MAX_RING_SIZE));
    }

    static ConsistentHashLoadBalancer maglev(HashKey key, int tableSize) {
        return new ConsistentHashLoadBalancer("maglev(" + key + ", tableSize=" + tableSize + ")", key,
                members -> new MaglevTable(members, tableSize));
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        PerSnapshot<HashTable> table = new PerSnapshot<>(group, snapshot -> tables.apply(Selectors.toArray(snapshot)));
        return new EndpointSelector() {
            @Override
            public @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
                String value = key.value(ctx, request);
                long hash = value == null ? random.get().nextLong() : XxHash64.hash(value, 0);
                return table.get().find(hash, excluded);
            }

            @Override
            public String toString() {
                return name + group.snapshot().endpoints();
            }
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
