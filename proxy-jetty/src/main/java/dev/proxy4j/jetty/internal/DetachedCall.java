package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend exchange of the proxy's own, made for a filter's detached work
 * ({@code FilterChain.proceedDetached}: a cache's background revalidation), so that the client's
 * exchange can end, and its connection take the next request, while this one goes on. It holds the
 * routing snapshot (its upstream's pools) until it is done; the answer's selection is completed
 * when its body has been read to the end or failed. It is bounded by the route's timeouts and is
 * not aborted when the client's exchange ends. Its attempts are in a request log of its own, which
 * no listener gets (the client's request is logged once, as the client saw it).
 */
final class DetachedCall implements AttemptHost {

    private static final Logger LOG = LoggerFactory.getLogger(DetachedCall.class);

    private final Routing routing;
    private final RequestLogBuilder log;
    private final Ticker ticker;
    private final int loop;
    private final AtomicBoolean released = new AtomicBoolean();

    private DetachedCall(Routing routing, RequestLogBuilder log, Ticker ticker, int loop) {
        this.routing = routing;
        this.log = log;
        this.ticker = ticker;
        this.loop = loop;
    }

    /**
     * Sends {@code request} to {@code upstream} detached from the client's exchange whose snapshot,
     * log and loop these are. Called while that exchange still holds {@code routing}.
     */
    static CompletionStage<ProxyResponse> send(Routing routing, RequestContext ctx, RequestLogBuilder clientLog,
            RouteRuntime route, UpstreamRuntime upstream, ProxyRequest request, int loop) {
        if (!routing.acquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the routing snapshot was retired"));
        }
        RequestLogBuilder log = new RequestLogBuilder(clientLog.requestId(), clientLog.clientAddress(),
                request.method(), request.pathAndQuery(), request.protocol(), ctx.clock().millis(), ctx.ticker(),
                ctx.ticker().nanos());
        DetachedCall call = new DetachedCall(routing, log, ctx.ticker(), loop);
        CompletionStage<ProxyResponse> sent;
        try {
            sent = new UpstreamCall(call, ctx, route, upstream, "").send(request);
        } catch (RuntimeException e) {
            call.release();
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.debug("detached request {} of {} failed: {}", request, log.requestId(), failure.toString());
                call.release();
            }
        });
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            routing.release();
        }
    }

    @Override
    public dev.proxy4j.config.BackendIdentity backendIdentity() {
        return routing.config().backendIdentity();
    }

    @Override
    public void attempting(BackendAttempt attempt) {
        // Nothing aborts it but its own timeouts: nobody waits for it to end early.
    }

    @Override
    public Body received(Body body, Selection selection, Outcome outcome) {
        return new Settling(body, selection, outcome);
    }

    @Override
    public boolean inFlight() {
        return true;
    }

    @Override
    public RequestLogBuilder log() {
        return log;
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public int loop() {
        return loop;
    }

    /** The answer's body: once read to its end, or failed, the selection is completed and the snapshot let go. */
    private final class Settling implements Body {
        private final Body body;
        private final Selection selection;
        private final Outcome outcome;
        private final AtomicBoolean settled = new AtomicBoolean();

        Settling(Body body, Selection selection, Outcome outcome) {
            this.body = body;
            this.selection = selection;
            this.outcome = outcome;
        }

        @Override
        public long length() {
            return body.length();
        }

        @Override
        public @Nullable Chunk read() {
            Chunk chunk = body.read();
            if (chunk != null && chunk.isLast()) {
                settle(chunk.failure() == null ? outcome
                        : new Outcome(outcome.status(), dev.proxy4j.upstream.UpstreamFailure.Kind.RESET_AFTER_HEADERS,
                                outcome.latencyNanos()));
            }
            return chunk;
        }

        @Override
        public void demand(Runnable onReady) {
            body.demand(onReady);
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
            settle(Outcome.abandoned(outcome.latencyNanos()));
        }

        private void settle(Outcome how) {
            if (settled.compareAndSet(false, true)) {
                if (!selection.isComplete()) {
                    selection.complete(how);
                }
                release();
            }
        }

        @Override
        public String toString() {
            return "DetachedBody[" + body + ']';
        }
    }
}
