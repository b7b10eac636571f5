package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.upstream.Upstream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a route needs per request, worked out once per routing snapshot: its filters, timeouts, and
 * its target's upstreams with their pools (in the order of {@link RouteTarget#upstreams()}).
 */
record RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, List<UpstreamRuntime> upstreams) {

    /**
     * The upstream for this request: the only one, or the split's choice (a match, a sticky key, or
     * a roll in proportion to the weights) for the request as the route's filters left it.
     */
    UpstreamRuntime pickUpstream(RequestContext ctx, ProxyRequest request) {
        if (!(route.target() instanceof RouteTarget.Split split)) {
            return upstreams.get(0);
        }
        Upstream chosen = split.select(ctx, request, ThreadLocalRandom.current());
        for (UpstreamRuntime runtime : upstreams) {
            if (runtime.upstream() == chosen) {
                return runtime;
            }
        }
        throw new AssertionError("split chose " + chosen.name() + ", not one of its upstreams");
    }
}
