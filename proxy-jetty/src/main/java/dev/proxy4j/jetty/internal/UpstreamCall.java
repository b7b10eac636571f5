package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's way to one upstream: the endpoint chosen, the attempt made, and another attempt on an
 * endpoint not yet tried while the upstream's retry rule allows it. Each attempt goes in the request log.
 */
final class UpstreamCall {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);
    /** Attempts in all, the first included, when connections to endpoints are refused. */
    private static final int MAX_ATTEMPTS = 3;

    private final ClientExchange exchange;
    private final RouteRuntime route;
    private final UpstreamRuntime upstream;
    private final CompletableFuture<ProxyResponse> result = new CompletableFuture<>();
    private final Set<Endpoint> tried = new HashSet<>(2);

    UpstreamCall(ClientExchange exchange, RouteRuntime route, UpstreamRuntime upstream) {
        this.exchange = exchange;
        this.route = route;
        this.upstream = upstream;
    }

    CompletionStage<ProxyResponse> send(ProxyRequest request) {
        attempt(request);
        return result;
    }

    private void attempt(ProxyRequest request) {
        Endpoint chosen = tried.isEmpty()
                ? upstream.upstream().selector().select(request)
                : upstream.upstream().selector().select(request, tried);
        if (chosen == null) {
            result.completeExceptionally(new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT,
                    "no endpoint of " + upstream.upstream().name() + " left to try"));
            return;
        }
        tried.add(chosen);
        BackendAttempt attempt = new BackendAttempt(upstream, chosen, route.timeouts(), route.route().hostHeader(),
                exchange.scheduler(), exchange.loop());
        exchange.attempting(attempt);
        long started = exchange.ticker().nanos();
        attempt.send(request, BackendAttempt.content(request.body()), (response, failure) -> {
            long took = exchange.ticker().nanos() - started;
            if (response != null) {
                exchange.log().attempt(new Attempt(chosen, response.status(), null, took));
                exchange.received((UpstreamBody) response.body());
                result.complete(response);
            } else {
                onFailed(request, chosen, Objects.requireNonNull(failure, "failure"), took);
            }
        });
    }

    private void onFailed(ProxyRequest request, Endpoint endpoint, UpstreamFailure failure, long took) {
        exchange.log().attempt(new Attempt(endpoint, 0, failure.kind(), took));
        if (retryable(request, failure)) {
            LOG.debug("retrying {} on another endpoint after {}", request, failure.kind());
            attempt(request);
            return;
        }
        result.completeExceptionally(failure);
    }

    /** Only when nothing can have reached a backend: the connection was never made and no body byte was taken. */
    private boolean retryable(ProxyRequest request, UpstreamFailure failure) {
        return failure.kind().nothingSent()
                && !bodyStarted(request.body())
                && exchange.inFlight()
                && tried.size() < MAX_ATTEMPTS
                && tried.size() < upstream.upstream().endpoints().size();
    }

    /** Whether a byte of the body may have gone: a body a filter made cannot be sent again. */
    private static boolean bodyStarted(Body body) {
        if (body instanceof ClientBody client) {
            return client.content().started();
        }
        return body != Body.empty() && !(body instanceof Body.Bytes);
    }

    @Override
    public String toString() {
        return "UpstreamCall[" + upstream.upstream().name() + ']';
    }
}
