package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.Timeouts;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.route.Route;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/**
 * What a route needs per request, worked out once at start: its whole filter list, timeouts and
 * its upstream's clients, one per event loop.
 */
record RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, HttpClient[] clients) {

    /**
     * The client whose connections loop {@code loop} carries; when the upstream allows fewer
     * connections than there are loops, the later loops borrow an earlier loop's client.
     */
    HttpClient client(int loop) {
        return clients[loop < clients.length ? loop : loop % clients.length];
    }
}
