package dev.proxy4j.route;

import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the route for a request. <b>Match order: the first route, in the order they were declared,
 * whose predicates all hold</b> (Envoy's rule, and the one that reads most plainly in a builder).
 * Put specific routes before general ones; a catch-all {@code pathPrefix("/")} goes last.
 *
 * <p>Routes with one exact host are indexed by it, so a request only tries the routes of its host
 * and the routes without an exact host, still in declaration order.
 */
public final class RouteTable {

    private final List<Route> routes;
    private final Route[] hostless;
    private final Map<String, Route[]> byHost;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, List<Route>> candidates = new HashMap<>();
        List<Route> withoutHost = new ArrayList<>();
        for (Route route : this.routes) {
            route.exactHost().ifPresentOrElse(
                    host -> candidates.computeIfAbsent(host, h -> new ArrayList<>()),
                    () -> withoutHost.add(route));
        }
        Map<String, Route[]> index = new HashMap<>();
        for (String host : candidates.keySet()) {
            List<Route> list = new ArrayList<>();
            for (Route route : this.routes) {
                if (route.exactHost().map(host::equals).orElse(true)) {
                    list.add(route);
                }
            }
            index.put(host, list.toArray(new Route[0]));
        }
        this.byHost = index;
        this.hostless = withoutHost.toArray(new Route[0]);
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Route> match(ProxyRequest request) {
        Route[] candidates = byHost.isEmpty() ? hostless : byHost.getOrDefault(request.host(), hostless);
        for (Route route : candidates) {
            if (route.matches(request)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }
}
