package dev.proxy4j.jetty.internal;

import dev.proxy4j.route.Timeouts;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a route needs per request, worked out once per routing snapshot: its filters, timeouts, and
 * its target's upstreams with their pools.
 */
record RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, List<UpstreamRuntime> upstreams) {

    /** The upstream for this request: the only one, or one drawn from the split by weight. */
    UpstreamRuntime pickUpstream() {
        if (route.target() instanceof RouteTarget.Split split) {
            return upstreams.get(split.upstreams().indexOf(split.choose(
                    ThreadLocalRandom.current().nextInt(split.totalWeight()))));
        }
        return upstreams.get(0);
    }
}
