package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Picks the endpoint for a request among a fixed list of endpoints. A {@link LoadBalancer} makes
 * one per upstream; it keeps the rotation state and is shared by every request to that upstream,
 * so implementations must be thread-safe, and should not block.
 */
public interface EndpointSelector {

    /**
     * The endpoint for {@code request}: never null, since no endpoint is excluded.
     * The default asks {@link #select(ProxyRequest, Set)} with nothing excluded.
     */
    default Endpoint select(ProxyRequest request) {
        Endpoint endpoint = select(request, Set.of());
        if (endpoint == null) {
            throw new IllegalStateException("selector " + this + " returned null with no endpoint excluded");
        }
        return endpoint;
    }

    /**
     * The endpoint for {@code request} other than those in {@code excluded} (the endpoints already
     * tried, when retrying), or null when every endpoint is excluded. Skipping an endpoint still
     * moves the rotation on.
     */
    @Nullable Endpoint select(ProxyRequest request, Set<Endpoint> excluded);
}
