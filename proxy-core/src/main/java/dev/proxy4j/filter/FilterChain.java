package dev.proxy4j.filter;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletionStage;

/**
 * The rest of the chain after a filter: the next filters, then the route's target. It may be
 * called from any thread; the rest of the chain runs on the request's event loop.
 */
@FunctionalInterface
public interface FilterChain {
    CompletionStage<ProxyResponse> proceed(ProxyRequest request);

    /**
     * The rest of the chain for work that is not the client's answer and goes on after it (a
     * cache's background revalidation): the next filters, then the target, as {@link #proceed}
     * does, but the backend exchange it makes is the proxy's own, detached from the client's. The
     * client's exchange may end (and its HTTP/1.1 connection take the next request) while this one
     * goes on; it is not aborted when the client's ends, and it is bounded by the route's timeouts.
     * The caller must read the response's body to its end or fail it. A chain that has no backend
     * exchange of its own (a test's) proceeds as {@link #proceed} does; calling both, or either
     * twice, is an error all the same.
     */
    default CompletionStage<ProxyResponse> proceedDetached(ProxyRequest request) {
        return proceed(request);
    }
}
