package dev.proxy4j.jetty.internal;

import dev.proxy4j.route.Timeouts;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a route needs per request, worked out once per routing snapshot: its filters, timeouts, and
 * its target's upstreams with their pools (for a split, in the split's order, with the running sums
 * of their weights).
 */
record RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, List<UpstreamRuntime> upstreams,
        int[] cumulativeWeights) {

    RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, List<UpstreamRuntime> upstreams) {
        this(route, filters, timeouts, upstreams, cumulative(route.target()));
    }

    private static int[] cumulative(RouteTarget target) {
        if (!(target instanceof RouteTarget.Split split)) {
            return new int[0];
        }
        int[] sums = new int[split.shares().size()];
        int sum = 0;
        for (int i = 0; i < sums.length; i++) {
            sum += split.shares().get(i).weight();
            sums[i] = sum;
        }
        return sums;
    }

    /** The upstream for this request: the only one, or one drawn from the split in proportion to the weights. */
    UpstreamRuntime pickUpstream() {
        if (cumulativeWeights.length == 0) {
            return upstreams.get(0);
        }
        int roll = ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (roll < cumulativeWeights[i]) {
                return upstreams.get(i);
            }
        }
        throw new AssertionError("roll " + roll + " beyond the split's weights");
    }
}
