package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.jspecify.annotations.Nullable;

/** An upstream of a routing snapshot with its connection pool, and each endpoint's origin URI parsed once. */
final class UpstreamRuntime {

    private final Upstream upstream;
    private final UpstreamPools.Pool pool;
    /** By the endpoint's URI: the addresses one name resolved to share their origin (the name). */
    private final Map<URI, URI> origins = new ConcurrentHashMap<>();
    /**
     * By endpoint, each loop's client's destination for it: Jetty's {@code Request.send} looks the
     * destination up on every request (a new Origin, its address, a stream over the transport's
     * protocols). Bounded: endpoints come and go with DNS answers, so past
     * {@link #MAX_CACHED_ENDPOINTS} it starts afresh.
     */
    private final Map<Endpoint, @Nullable HttpDestination[]> destinations = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_ENDPOINTS = 1024;

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

    /** Lets go of the lean client's connections to {@code gone}, an endpoint that left the upstream. */
    void drainLean(Endpoint gone) {
        pool.drainLean(gone);
    }

    /** The lean client's connections to {@code endpoint} from {@code loop} ({@link LeanHttp11}). */
    LeanHttp11.Pool leanPool(Endpoint endpoint, int loop) {
        return pool.leanPool(endpoint, loop);
    }

    /**
     * The scheme://host:port the client sends to, per endpoint, parsed once: building a request
     * from a host and port makes Jetty's client format and parse a URI string every time.
     */
    URI origin(Endpoint endpoint) {
        URI origin = origins.get(endpoint.uri());
        return origin != null ? origin : origins.computeIfAbsent(endpoint.uri(), uri -> originOf(endpoint));
    }

    /**
     * The destination of loop {@code loop}'s client that {@code request} (to {@code endpoint}, with
     * no tag, the upstream's HTTP version and {@link ResolvedTransport#of}'s transport: what every
     * plain request of this upstream has) goes to; resolved by the client once, and again when the
     * client has let it go (idle, {@link HttpDestination#stale()}).
     */
    HttpDestination destination(Endpoint endpoint, int loop, Request request) {
        @Nullable HttpDestination[] byLoop = destinations.get(endpoint);
        if (byLoop == null) {
            if (destinations.size() >= MAX_CACHED_ENDPOINTS) {
                destinations.clear();
            }
            byLoop = destinations.computeIfAbsent(endpoint, e -> new HttpDestination[pool.clients().size()]);
        }
        int slot = pool.slot(loop);
        HttpDestination destination = byLoop[slot];
        if (destination == null || destination.stale()) {
            // Loops that share a client may race here; each finds the same destination.
            destination = (HttpDestination) pool.client(loop).resolveDestination(request);
            byLoop[slot] = destination;
        }
        return destination;
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
