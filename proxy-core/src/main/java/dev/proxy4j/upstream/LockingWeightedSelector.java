package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin run pick by pick, for weights whose schedule would be too long to
 * work out in advance. nginx's algorithm changes every current weight on each pick, so a pick
 * holds a lock for one pass over the weights. Excluded endpoints sit out the pick, as in nginx.
 */
final class LockingWeightedSelector implements EndpointSelector {

    private final Endpoint[] endpoints;
    private final int[] weights;
    private final long[] current;

    LockingWeightedSelector(Endpoint[] endpoints, int[] weights) {
        this.endpoints = endpoints;
        this.weights = weights;
        this.current = new long[weights.length];
    }

    @Override
    public Endpoint select(ProxyRequest request) {
        int index;
        synchronized (current) {
            index = SmoothWeighted.step(weights, current, null);
        }
        return endpoints[index];
    }

    @Override
    public @Nullable Endpoint select(ProxyRequest request, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return select(request);
        }
        boolean[] skipped = Selectors.excludedFlags(endpoints, excluded);
        if (skipped == null) {
            return null;
        }
        int index;
        synchronized (current) {
            index = SmoothWeighted.step(weights, current, skipped);
        }
        return endpoints[index];
    }

    @Override
    public String toString() {
        return "weightedRoundRobin" + Arrays.toString(endpoints);
    }
}
