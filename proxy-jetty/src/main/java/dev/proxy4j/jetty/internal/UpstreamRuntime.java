package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;

/** An upstream of a routing snapshot with its connection pool, and each endpoint's origin URI parsed once. */
final class UpstreamRuntime {

    private final Upstream upstream;
    private final UpstreamPools.Pool pool;
    /** By the endpoint's URI: the addresses one name resolved to share their origin (the name). */
    private final Map<URI, URI> origins = new ConcurrentHashMap<>();

    UpstreamRuntime(Upstream upstream, UpstreamPools.Pool pool) {
        this.upstream = upstream;
        this.pool = pool;
    }

    Upstream upstream() {
        return upstream;
    }

    UpstreamPools.Pool pool() {
        return pool;
    }

    HttpClient client(int loop) {
        return pool.client(loop);
    }

    /**
     * The scheme://host:port the client sends to, per endpoint, parsed once: building a request
     * from a host and port makes Jetty's client format and parse a URI string every time.
     */
    URI origin(Endpoint endpoint) {
        URI origin = origins.get(endpoint.uri());
        return origin != null ? origin : origins.computeIfAbsent(endpoint.uri(), uri -> originOf(endpoint));
    }

    private static URI originOf(Endpoint endpoint) {
        try {
            return new URI(endpoint.isSecure() ? "https" : "http", null, endpoint.host(), endpoint.port(), null, null,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint " + endpoint, e);
        }
    }
}
