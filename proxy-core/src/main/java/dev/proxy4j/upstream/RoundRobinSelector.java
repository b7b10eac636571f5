package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Each endpoint in turn, by one atomic counter: lock-free. With endpoints excluded it takes the
 * first one not excluded from its turn on, and moves the counter past the turns it skipped, so
 * that the others share the excluded endpoints' turns in order (a, b, c with b excluded: a, c, a, c).
 */
final class RoundRobinSelector implements EndpointSelector {

    private final Endpoint[] endpoints;
    private final AtomicLong next = new AtomicLong();

    RoundRobinSelector(Endpoint[] endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Endpoint select(ProxyRequest request) {
        return endpoints[index(next.getAndIncrement())];
    }

    @Override
    public @Nullable Endpoint select(ProxyRequest request, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return select(request);
        }
        long turn;
        int skipped;
        do {
            turn = next.get();
            skipped = turnsToSkip(turn, excluded);
            if (skipped < 0) {
                return null;
            }
        } while (!next.compareAndSet(turn, turn + skipped + 1));
        return endpoints[index(turn + skipped)];
    }

    /** How many turns from {@code turn} on fall on excluded endpoints before one that is not; -1 if all do. */
    private int turnsToSkip(long turn, Set<Endpoint> excluded) {
        int start = index(turn);
        for (int i = 0; i < endpoints.length; i++) {
            if (!excluded.contains(endpoints[(start + i) % endpoints.length])) {
                return i;
            }
        }
        return -1;
    }

    private int index(long turn) {
        return (int) Math.floorMod(turn, (long) endpoints.length);
    }

    @Override
    public String toString() {
        return "roundRobin" + Arrays.toString(endpoints);
    }
}
