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
}
