package dev.proxy4j.filter;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletionStage;

/**
 * Sees a request on its way to the backend and the response on its way back.
 *
 * <p>A filter either answers itself (returns a stage without calling {@code next}) or calls
 * {@link FilterChain#proceed(ProxyRequest)} exactly once, possibly with a changed request, and may
 * change the response the stage completes with. It runs on the request's event loop and never
 * blocks there: blocking work goes to {@link RequestContext#blockingExecutor()}, and a stage that
 * completes on another thread is brought back to the loop by the chain, so the rest of the request
 * runs where it started. Returning null, throwing, or calling {@code proceed} twice fails the
 * request with a 500 and a log line naming the filter.
 *
 * <p>Filters added to the server run before routing, for every request (404s included), and see
 * the normalised path (RFC 3986 6.2.2) before any rewrite; a route's filters run after routing, on
 * the rewritten path.
 * A filter that replaces a body it was given is responsible for it: it must
 * {@link dev.proxy4j.http.Body#fail(Throwable) fail} (or read to the end) the one it drops.
 *
 * <pre>{@code
 * ProxyFilter addTenant = (ctx, request, next) -> next.proceed(request.toBuilder()
 *         .headers(request.headers().toBuilder().set("X-Tenant", "acme").build())
 *         .build());
 * }</pre>
 */
@FunctionalInterface
public interface ProxyFilter {
    CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next);
}
