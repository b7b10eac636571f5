package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.Timeouts;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.Endpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;

/**
 * What a route needs per request, worked out once at start: its whole filter list, timeouts and
 * its upstream's clients, one per event loop.
 */
record RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, HttpClient[] clients,
        Map<Endpoint, URI> origins) {

    RouteRuntime(Route route, List<ProxyFilter> filters, Timeouts timeouts, HttpClient[] clients) {
        this(route, filters, timeouts, clients, origins(route.upstream().endpoints()));
    }

    /**
     * The scheme://host:port the client sends to, per endpoint, parsed once: building a request
     * from a host and port makes Jetty's client format and parse a URI string every time.
     */
    URI origin(Endpoint endpoint) {
        URI origin = origins.get(endpoint);
        return origin != null ? origin : originOf(endpoint);
    }

    private static Map<Endpoint, URI> origins(List<Endpoint> endpoints) {
        Map<Endpoint, URI> origins = new IdentityHashMap<>();
        for (Endpoint endpoint : endpoints) {
            origins.put(endpoint, originOf(endpoint));
        }
        return origins;
    }

    private static URI originOf(Endpoint endpoint) {
        try {
            return new URI(endpoint.isSecure() ? "https" : "http", null, endpoint.host(), endpoint.port(), null, null,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint " + endpoint, e);
        }
    }

    /**
     * The client whose connections loop {@code loop} carries; when the upstream allows fewer
     * connections than there are loops, the later loops borrow an earlier loop's client.
     */
    HttpClient client(int loop) {
        return clients[loop < clients.length ? loop : loop % clients.length];
    }
}
