package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.FilterException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>It ends exactly once ({@link #end}), however it ends: the response written, the client gone,
 * or the chain failed. What is still out then is settled by the end: an attempt at a backend not
 * yet answered is aborted, the selection that answered is completed with its outcome, a backend
 * body nobody read is freed. An answer that arrives after the end (a filter stopped waiting for it)
 * is settled on arrival.
 */
final class ClientExchange {

    private static final Logger LOG = LoggerFactory.getLogger(ClientExchange.class);
    /** Stands in {@link #answer} once the exchange has ended. */
    private static final Answer ENDED = new Answer(null, null, null);
    /** Why an attempt still out at the end is aborted: not an error, so no stack is taken. */
    static final class ExchangeEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExchangeEnded() {
            super("the client's exchange has ended", null, false, false);
        }
    }

    private final Routing routing;
    private final Response proxyToClientResponse;
    private final Callback callback;
    private final RequestContext ctx;
    private final RequestLogBuilder log;
    private final Scheduler scheduler;
    private final int loop;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<@Nullable Answer> answer = new AtomicReference<>();
    private volatile boolean responding;
    private volatile boolean clientFailed;
    private volatile @Nullable BackendAttempt attempt;

    /** The attempt whose response the chain got: settled when the exchange ends. */
    private record Answer(@Nullable UpstreamBody body, @Nullable Selection selection, @Nullable Outcome outcome) {
    }

    ClientExchange(Routing routing, Request clientToProxyRequest, Response proxyToClientResponse, Callback callback,
            RequestContext ctx, RequestLogBuilder log, Scheduler scheduler, int loop) {
        this.routing = routing;
        this.proxyToClientResponse = proxyToClientResponse;
        this.callback = callback;
        this.ctx = ctx;
        this.log = log;
        this.scheduler = scheduler;
        this.loop = loop;
        // While a backend works on the request, its timeouts govern; while only filters do, the
        // client's idle timeout is the request's deadline.
        clientToProxyRequest.addIdleTimeoutListener(timeout -> attempt == null || ended.get());
        clientToProxyRequest.addFailureListener(this::onClientFailure);
    }

    void run(ProxyRequest request) {
        CompletionStage<ProxyResponse> response;
        try {
            response = FilterChains.run(ctx, routing.config().filters(), this::route, request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete(this::respondSafely);
    }

    /**
     * The response is written on the request's loop, wherever the chain's last stage completed (a
     * local handler's answer from another thread); nothing thrown here may be lost in the stage:
     * the exchange would never end.
     */
    private void respondSafely(@Nullable ProxyResponse response, @Nullable Throwable failure) {
        if (!ctx.eventLoop().inEventLoop()) {
            try {
                // Once: a task the loop runs is on the loop, whatever its thread check says then.
                ctx.eventLoop().execute(() -> respondOnLoop(response, failure));
                return;
            } catch (RuntimeException refused) {
                // The loop is gone (the proxy stops): answer from here rather than not at all.
            }
        }
        respondOnLoop(response, failure);
    }

    private void respondOnLoop(@Nullable ProxyResponse response, @Nullable Throwable failure) {
        try {
            respond(response, failure);
        } catch (RuntimeException e) {
            LOG.error("answering {} failed", log, e);
            end(e);
        }
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
        if (ended.get()) {
            // The client went away while the chain worked: nothing to write; free what came back.
            if (response != null) {
                response.body().fail(new ExchangeEnded());
            }
            return;
        }
        if (failure != null || response == null) {
            fail(failure == null ? new FilterException("the chain completed with no response") : unwrap(failure));
            return;
        }
        responding = true;
        try {
            ResponseWriter.write(response, proxyToClientResponse, ctx.requestId(), routing.emitsRequestId(), log,
                    () -> clientFailed = true, Callback.from(() -> end(null), this::writeFailed));
        } catch (RuntimeException e) {
            response.body().fail(e);
            fail(new FilterException("writing the response " + response + " failed", e));
        }
    }

    /** The body failed: before any byte went, the client still gets the status for it; after, the connection is cut. */
    private void writeFailed(Throwable failure) {
        if (proxyToClientResponse.isCommitted() || clientFailed) {
            if (!clientFailed) {
                // The backend's fault after its head went on (a body cut off or malformed): logged as its failure.
                UpstreamFailure.find(failure).ifPresent(upstream -> {
                    log.failure(upstream.kind());
                    LOG.warn("upstream {} failed after the response began for {}: {}", endpoint(), log, upstream.kind());
                });
            }
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
        } else if (status == 400) {
            LOG.debug("malformed request body for {}", log);
        } else if (!clientFailed) {
            LOG.warn("upstream {} failed for {}: {}", endpoint(), log, upstream.get().kind());
        }
        if (proxyToClientResponse.isCommitted() || clientFailed) {
            end(failure);
            return;
        }
        responding = true;
        // Whatever a failed write set up (a trailers supplier, the backend's headers) goes.
        proxyToClientResponse.reset();
        log.status(status).firstByte();
        log.addResponseBodyBytes(ErrorResponses.body(status).length);
        ErrorResponses.write(proxyToClientResponse, Callback.from(() -> end(null), this::end), status,
                ctx.requestId());
    }

    private String endpoint() {
        BackendAttempt last = attempt;
        Endpoint endpoint = last == null ? null : last.endpoint();
        return endpoint == null ? "-" : endpoint.authority();
    }

    /** The exchange is over, well ({@code failure} null) or not: settle what is out, log, tell Jetty. Once. */
    private void end(@Nullable Throwable failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            Answer settled = answer.getAndSet(ENDED);
            settle(settled, failure);
            BackendAttempt current = attempt;
            if (current != null && settled == null) {
                // No answer came (a filter did not wait for it, or the client left): the backend need not go on.
                current.abort(new ExchangeEnded());
            }
            if (log.status() == 0) {
                log.status(proxyToClientResponse.getStatus());
            }
            log.end(routing.config().requestLogListeners());
        } catch (RuntimeException e) {
            LOG.error("ending the exchange of {} failed", log, e);
        } finally {
            routing.release();
            if (failure == null) {
                callback.succeeded();
            } else {
                callback.failed(failure);
            }
        }
    }

    /** Completes the answering attempt's selection and frees its body if nobody read it to the end. */
    private void settle(@Nullable Answer settled, @Nullable Throwable failure) {
        if (settled == null || settled == ENDED) {
            return;
        }
        UpstreamBody body = settled.body();
        if (body != null) {
            body.discardIfUnread(log);
        }
        Selection selection = settled.selection();
        Outcome outcome = settled.outcome();
        if (selection != null && outcome != null && !selection.isComplete()) {
            // A body cut off after the headers is the endpoint's failure, unless the client went away.
            selection.complete(failure == null ? outcome
                    : clientFailed ? Outcome.abandoned(outcome.latencyNanos())
                    : new Outcome(outcome.status(), UpstreamFailure.Kind.RESET_AFTER_HEADERS, outcome.latencyNanos()));
        }
    }

    private void onClientFailure(Throwable failure) {
        if (failure instanceof BodyTooLargeException) {
            // The proxy's own verdict on the body (RequestBody fails the request with it): the
            // attempt fails with it and the client gets 413.
            return;
        }
        clientFailed = true;
        BackendAttempt current = attempt;
        if (current != null) {
            current.abort(failure);
        }
        if (!responding) {
            // The chain is still at work (a filter waits on something): the client will not read its answer.
            end(failure);
        }
    }

    void attempting(BackendAttempt attempt) {
        this.attempt = attempt;
    }

    /**
     * The attempt that answered: its selection is completed, with its outcome, when the exchange
     * ends; at once (abandoned, the body freed) when it already has.
     */
    void received(UpstreamBody body, Selection selection, Outcome outcome) {
        if (!answer.compareAndSet(null, new Answer(body, selection, outcome))) {
            body.discardIfUnread(log);
            if (!selection.isComplete()) {
                selection.complete(Outcome.abandoned(outcome.latencyNanos()));
            }
        }
    }

    /** False once the client went away or the exchange ended: no more attempts are worth making. */
    boolean inFlight() {
        return !ended.get() && !clientFailed;
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
