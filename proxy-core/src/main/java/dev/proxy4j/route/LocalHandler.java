package dev.proxy4j.route;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletionStage;

/**
 * A route target the proxy answers by itself: a health endpoint, a fixed answer, a redirect, static
 * files. It runs on the request's event loop after the route's filters, and never blocks there
 * (blocking work goes to {@link RequestContext#blockingExecutor()}).
 *
 * <pre>{@code
 * .route(r -> r.path("/healthz").local((ctx, request) ->
 *         CompletableFuture.completedFuture(ProxyResponse.text(200, "ok"))))
 * }</pre>
 */
@FunctionalInterface
public interface LocalHandler {
    CompletionStage<ProxyResponse> handle(RequestContext ctx, ProxyRequest request);
}
