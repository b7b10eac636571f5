package dev.proxy4j.filter;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletionStage;

/**
 * Sees a request on its way to the backend and the response on its way back.
 *
 * <p>A filter either answers itself (returns a completed stage without calling {@code next}) or
 * calls {@link FilterChain#proceed(ProxyRequest)} exactly once, possibly with a changed request, and
 * may change the response the stage completes with. It never blocks: it runs on an I/O thread.
 * Returning null, or calling {@code proceed} twice, fails the request with a message naming the filter.
 *
 * <pre>{@code
 * ProxyFilter addTenant = (request, next) -> next.proceed(request.toBuilder()
 *         .headers(request.headers().toBuilder().set("X-Tenant", "acme").build())
 *         .build());
 * }</pre>
 */
@FunctionalInterface
public interface ProxyFilter {
    CompletionStage<ProxyResponse> filter(ProxyRequest request, FilterChain next);
}
