package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.FilterException;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request from the core's view to the last byte back: the server-wide filters, routing,
 * the route's filters, the route's target, then the response written (or the error that stands for
 * a failure), and the request log handed to the listeners. Holds its routing snapshot to the end.
 */
final class ClientExchange {

    private static final Logger LOG = LoggerFactory.getLogger(ClientExchange.class);

    private final Routing routing;
    private final Request clientToProxyRequest;
    private final Response proxyToClientResponse;
    private final Callback callback;
    private final RequestContext ctx;
    private final RequestLogBuilder log;
    private final Scheduler scheduler;
    private final int loop;
    private volatile boolean inFlight = true;
    private volatile boolean clientFailed;
    private volatile @Nullable BackendAttempt attempt;
    private volatile @Nullable UpstreamBody upstreamBody;
    private volatile @Nullable Selection selection;
    private volatile @Nullable Outcome outcome;

    ClientExchange(Routing routing, Request clientToProxyRequest, Response proxyToClientResponse, Callback callback,
            RequestContext ctx, RequestLogBuilder log, Scheduler scheduler, int loop) {
        this.routing = routing;
        this.clientToProxyRequest = clientToProxyRequest;
        this.proxyToClientResponse = proxyToClientResponse;
        this.callback = callback;
        this.ctx = ctx;
        this.log = log;
        this.scheduler = scheduler;
        this.loop = loop;
        // While the backend works, the client's connection is not idle: the route's timeouts govern.
        clientToProxyRequest.addIdleTimeoutListener(timeout -> !inFlight);
        clientToProxyRequest.addFailureListener(this::onClientFailure);
    }

    void run(ProxyRequest request) {
        CompletionStage<ProxyResponse> response;
        try {
            response = FilterChains.run(ctx, routing.config().filters(), this::route, request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete(this::respond);
    }

    /** After the server-wide filters: the route, its filters, its target. */
    private CompletionStage<ProxyResponse> route(ProxyRequest request) {
        Optional<Route> matched = routing.config().routes().match(request);
        if (matched.isEmpty()) {
            return CompletableFuture.completedFuture(ErrorResponses.response(404));
        }
        Route route = matched.get();
        RouteRuntime runtime = routing.runtime(route);
        ctx.routed(route, route.pathVariables(request.path()));
        return FilterChains.run(ctx, runtime.filters(), forwarded -> target(runtime, forwarded), route.rewrite(request));
    }

    private CompletionStage<ProxyResponse> target(RouteRuntime runtime, ProxyRequest request) {
        if (runtime.route().target() instanceof RouteTarget.Local local) {
            return local.handler().handle(ctx, request);
        }
        return new UpstreamCall(this, ctx, runtime, runtime.pickUpstream()).send(request);
    }

    /** The end of the chain: write what came back, or the error for what failed. */
    private void respond(@Nullable ProxyResponse response, @Nullable Throwable failure) {
        if (failure != null) {
            fail(unwrap(failure));
            return;
        }
        boolean emitRequestId = routing.config().forwarding().emitted().contains(ForwardedHeader.X_REQUEST_ID);
        try {
            ResponseWriter.write(response, proxyToClientResponse, ctx.requestId(), emitRequestId, log,
                    Callback.from(() -> end(null), this::writeFailed));
        } catch (RuntimeException e) {
            fail(new FilterException("writing the response of " + response + " failed", e));
        }
    }

    /** The body failed: before any byte went, the client still gets the status for it; after, the connection is cut. */
    private void writeFailed(Throwable failure) {
        if (proxyToClientResponse.isCommitted() || clientFailed) {
            end(failure);
        } else {
            fail(unwrap(failure));
        }
    }

    private void fail(Throwable failure) {
        Optional<UpstreamFailure> upstream = UpstreamFailure.find(failure);
        int status = upstream.map(UpstreamFailure::status).orElse(500);
        upstream.ifPresent(u -> log.failure(u.kind()));
        if (failure instanceof FilterException) {
            LOG.error("{} on {}", failure.getMessage(), log, failure.getCause());
        } else if (upstream.isEmpty()) {
            LOG.error("the filter chain failed on {}", log, failure);
        } else if (status == 413) {
            LOG.debug("request body too large for {}", log);
        } else if (inFlight) {
            BackendAttempt last = attempt;
            Endpoint endpoint = last == null ? null : last.endpoint();
            LOG.warn("upstream {} failed for {}: {}", endpoint == null ? "-" : endpoint.authority(), log,
                    upstream.get().kind());
        }
        if (proxyToClientResponse.isCommitted()) {
            end(failure);
            return;
        }
        // Whatever a failed write set up (a trailers supplier, the backend's headers) goes.
        proxyToClientResponse.reset();
        log.status(status).firstByte();
        log.addResponseBodyBytes(ErrorResponses.body(status).length);
        ErrorResponses.write(proxyToClientResponse, Callback.from(() -> end(null), this::end), status,
                ctx.requestId());
    }

    /** The exchange is over, well ({@code failure} null) or not: free what is left, log, tell Jetty. */
    private void end(@Nullable Throwable failure) {
        inFlight = false;
        UpstreamBody body = upstreamBody;
        if (body != null) {
            body.discardIfUnread(log);
        }
        Selection answered = selection;
        Outcome answer = outcome;
        if (answered != null && answer != null) {
            // A body cut off after the headers is the endpoint's failure, unless the client went away.
            answered.complete(failure == null ? answer
                    : clientFailed ? Outcome.abandoned(answer.latencyNanos())
                    : new Outcome(answer.status(), UpstreamFailure.Kind.RESET_AFTER_HEADERS, answer.latencyNanos()));
        }
        if (log.status() == 0) {
            log.status(proxyToClientResponse.getStatus());
        }
        try {
            log.end(routing.config().requestLogListeners());
        } finally {
            routing.release();
            if (failure == null) {
                callback.succeeded();
            } else {
                callback.failed(failure);
            }
        }
    }

    private void onClientFailure(Throwable failure) {
        clientFailed = true;
        if (!inFlight) {
            return;
        }
        inFlight = false;
        BackendAttempt current = attempt;
        if (current != null) {
            current.abort(failure);
        }
    }

    void attempting(BackendAttempt attempt) {
        this.attempt = attempt;
    }

    /** The attempt that answered: its selection is completed, with its outcome, when the exchange ends. */
    void received(UpstreamBody body, Selection selection, Outcome outcome) {
        this.upstreamBody = body;
        this.outcome = outcome;
        this.selection = selection;
    }

    boolean inFlight() {
        return inFlight;
    }

    RequestLogBuilder log() {
        return log;
    }

    Ticker ticker() {
        return ctx.ticker();
    }

    Scheduler scheduler() {
        return scheduler;
    }

    int loop() {
        return loop;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
