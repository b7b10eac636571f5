package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the endpoint for a request among the live members of an {@link EndpointGroup}. A
 * {@link LoadBalancer} makes one per upstream; it keeps the rotation state and is shared by every
 * request to that upstream, so implementations must be thread-safe, and should neither block nor
 * lock for long: it runs on the request's event loop.
 *
 * <p>A selector works from {@link EndpointGroup#snapshot()}, read once per call, and chooses only
 * among its {@link EndpointGroup.Snapshot#selectable() selectable} members: never a draining
 * member, nor an unhealthy one while another is healthy. It may read the members' states (in
 * flight, latency, failures) and the request's context. Members come and go between calls; a
 * selector must stay correct when they do (no endpoint starved, weights as they are now).
 */
public interface EndpointSelector {

    /**
     * A selectable member for {@code request} whose endpoint is not in {@code excluded} (the
     * endpoints already tried, when retrying; matched by URI, whatever their weight), or null when
     * none is left. Never null while one is.
     */
    @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded);

    /**
     * Headers the proxy adds to the response when {@code chosen}, which this selector chose for
     * {@code request}, answers it: how a sticky-session selector tells the client which endpoint
     * to come back to. Asked once per selection, right after {@link #select}; the adapter adds them
     * to the upstream's response head before the route's filters see it, so they never go on an
     * answer that did not come from that endpoint. None by default.
     */
    default Headers responseHeaders(RequestContext ctx, ProxyRequest request, EndpointState chosen) {
        return Headers.empty();
    }
}
