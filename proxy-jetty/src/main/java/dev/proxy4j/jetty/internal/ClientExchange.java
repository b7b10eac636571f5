package dev.proxy4j.jetty.internal;

import dev.proxy4j.compress.Compression;
import dev.proxy4j.compress.Encoding;
import dev.proxy4j.context.RequestContext;
import java.util.function.Function;
import org.eclipse.jetty.io.Content;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.FilterException;
import dev.proxy4j.grpc.Grpc;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.trace.RequestTrace;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;
import dev.proxy4j.upstream.UpstreamFailure;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
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
final class ClientExchange implements AttemptHost {

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
    private final Request clientToProxyRequest;
    private final Response proxyToClientResponse;
    private final Callback callback;
    private final RequestContext ctx;
    private final RequestLogBuilder log;
    private final int loop;
    private final RequestTrace trace;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<@Nullable Answer> answer = new AtomicReference<>();
    private volatile boolean responding;
    private volatile boolean clientFailed;
    private volatile @Nullable BackendAttempt attempt;
    /** The request as the client sent it (before any filter), for compression's decision. */
    private @Nullable ProxyRequest clientRequest;

    /** The attempt whose response the chain got: settled when the exchange ends. */
    private record Answer(@Nullable Body body, @Nullable Selection selection, @Nullable Outcome outcome) {
    }

    ClientExchange(Routing routing, Request clientToProxyRequest, Response proxyToClientResponse, Callback callback,
            RequestContext ctx, RequestLogBuilder log, int loop, RequestTrace trace) {
        this.routing = routing;
        this.clientToProxyRequest = clientToProxyRequest;
        this.proxyToClientResponse = proxyToClientResponse;
        this.callback = callback;
        this.ctx = ctx;
        this.log = log;
        this.loop = loop;
        this.trace = trace;
        // While a backend works on the request, its timeouts govern; while only filters do, the
        // client's idle timeout is the request's deadline.
        clientToProxyRequest.addIdleTimeoutListener(timeout -> attempt == null || ended.get());
        clientToProxyRequest.addFailureListener(this::onClientFailure);
    }

    void run(ProxyRequest request) {
        clientRequest = request;
        CompletionStage<ProxyResponse> response;
        try {
            // A compressed response's ETag has the encoding's suffix: the backend gets its own tag back.
            ProxyRequest in = routing.config().compresses() ? Compression.mapConditionals(request) : request;
            response = FilterChains.run(ctx, routing.config().filters(), this::route, in);
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

    /** Whether the backend's Server and X-Powered-By go on to the client, by the routing in force. */
    @Override
    public dev.proxy4j.config.BackendIdentity backendIdentity() {
        return routing.config().backendIdentity();
    }

    /** After the server-wide filters: the route, its filters, its target. */
    private CompletionStage<ProxyResponse> route(ProxyRequest request) {
        Optional<Route> matched = routing.config().routes().match(request);
        if (matched.isEmpty()) {
            return CompletableFuture.completedFuture(Grpc.isGrpc(request)
                    ? Grpc.error(404, null, "no route") : ErrorResponses.response(404));
        }
        Route route = matched.get();
        RouteRuntime runtime = routing.runtime(route);
        ctx.routed(route, route.pathVariables(request.path()));
        FilterChain target = new FilterChain() {
            @Override
            public CompletionStage<ProxyResponse> proceed(ProxyRequest forwarded) {
                return target(runtime, forwarded, false);
            }

            @Override
            public CompletionStage<ProxyResponse> proceedDetached(ProxyRequest forwarded) {
                return target(runtime, forwarded, true);
            }
        };
        return FilterChains.run(ctx, runtime.filters(), target, route.rewrite(request));
    }

    /** {@code detached}: the proxy's own exchange with the backend, not the client's ({@link DetachedCall}). */
    private CompletionStage<ProxyResponse> target(RouteRuntime runtime, ProxyRequest request, boolean detached) {
        if (runtime.route().target() instanceof RouteTarget.Local local) {
            return local.handler().handle(ctx, request);
        }
        UpstreamRuntime upstream = runtime.pickUpstream(ctx, request);
        if (detached) {
            return DetachedCall.send(routing, ctx, log, runtime, upstream, request, loop);
        }
        String tunnel = tunnelProtocol(runtime, upstream, request);
        if (tunnel.isEmpty() && "CONNECT".equals(request.method())) {
            // Never forwarded as a plain request: a CONNECT is only ever a tunnel here.
            return CompletableFuture.completedFuture(ErrorResponses.response(405));
        }
        return new UpstreamCall(this, ctx, runtime, upstream, tunnel).send(request);
    }

    /**
     * The protocol to open a tunnel for: the one the client asks to switch to, when the route allows
     * it and the upstream speaks HTTP/1.1 (where Upgrade lives); {@code ""} sends a plain request.
     */
    private static String tunnelProtocol(RouteRuntime runtime, UpstreamRuntime upstream, ProxyRequest request) {
        String protocol = request.upgrade();
        if (protocol.isEmpty() || !runtime.route().allowsUpgrade(protocol)) {
            return "";
        }
        if (upstream.upstream().protocol() == UpstreamProtocol.HTTP_2) {
            LOG.debug("{} asks to switch to {}, which an HTTP/2 upstream cannot: sent as a plain request",
                    request, protocol);
            return "";
        }
        return protocol;
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
        if (response.status() == 101) {
            switchProtocols(response);
            return;
        }
        responding = true;
        try {
            Function<Content.Sink, EncodingSink> encoder = null;
            ProxyRequest asked = clientRequest;
            Compression compression = routing.config().compressionFor(ctx.route());
            if (compression.enabled() && asked != null) {
                Compression.Decision decision = compression.apply(asked, response);
                if (decision.encoding().isPresent()) {
                    Encoding encoding = decision.encoding().get();
                    int level = compression.level(encoding);
                    // A body of unknown length may still prove too short to compress.
                    int minLength = response.body().length() < 0 ? compression.minLength() : 0;
                    Headers asIs = response.headers();
                    encoder = to -> new EncodingSink(routing.encoders(), encoding, level, to, minLength,
                            () -> restore(asIs));
                }
                response = decision.response();
            }
            closeIfBodyUnread();
            ResponseWriter.write(response, encoder, proxyToClientResponse, ctx.requestId(), routing.emitsRequestId(), log,
                    () -> clientFailed = true, Callback.from(() -> end(null), this::writeFailed));
        } catch (RuntimeException e) {
            response.body().fail(e);
            fail(new FilterException("writing the response " + response + " failed", e));
        }
    }

    /** A body chosen for compression went as it was: the headers compression changed are the backend's again. */
    private void restore(Headers asIs) {
        HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
        for (String name : new String[] {"Content-Encoding", "ETag", "Accept-Ranges"}) {
            headers.remove(name);
            for (String value : asIs.getAll(name)) {
                headers.add(name, value);
            }
        }
    }

    /**
     * A backend's 101: the client gets it, and its connection then joins the backend's in the
     * answer's tunnel (a filter may have changed the 101's headers or wrapped its empty body; the
     * tunnel is the answer's all the same). A 101 with no tunnel behind it is a filter's error.
     */
    private void switchProtocols(ProxyResponse response) {
        Answer current = answer.get();
        if (current == null || !(current.body() instanceof TunnelBody tunnel) || !tunnel.handOver()) {
            response.body().fail(new IllegalStateException("101 without a tunnel"));
            fail(new FilterException("the chain answered 101 with no tunnel to the backend behind it"));
            return;
        }
        responding = true;
        Tunnel opened = tunnel.tunnel();
        // HTTP/2's extended CONNECT (RFC 8441) is answered 200 and its stream carries the tunnel;
        // HTTP/1.1's Upgrade gets the 101 and the connection is the tunnel.
        boolean connect = "CONNECT".equals(clientToProxyRequest.getMethod());
        TunnelSupport stream = clientToProxyRequest.getTunnelSupport();
        EndPoint clientEnd = connect && stream != null ? stream.getEndPoint()
                : clientToProxyRequest.getConnectionMetaData().getConnection().getEndPoint();
        clientToProxyRequest.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, opened.clientSide(clientEnd));
        int status = connect ? 200 : 101;
        proxyToClientResponse.setStatus(status);
        HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
        Headers out = response.headers();
        for (int i = 0; i < out.size(); i++) {
            // The accept answers the key of an HTTP/1.1 handshake, which an HTTP/2 client never sent.
            if (!connect || !out.name(i).equalsIgnoreCase("Sec-WebSocket-Accept")) {
                headers.add(out.name(i), out.value(i));
            }
        }
        if (!connect) {
            headers.put(HttpHeader.UPGRADE, tunnel.protocol());
            headers.put(HttpHeader.CONNECTION, "Upgrade");
        }
        log.status(status).firstByte();
        proxyToClientResponse.write(true, null, Callback.from(() -> end(null), failure -> {
            opened.abandon();
            end(failure);
        }));
    }

    /**
     * When a tunnel closes: its endpoint's selection is complete, and the request log gets a second
     * entry for the tunnel's life: method {@code TUNNEL}, the request's target and id, the protocol
     * switched to, bytes from the client as request bytes and from the backend as response bytes,
     * the duration from the request's start.
     */
    private void endTunnel(Tunnel tunnel, TunnelBody body, Selection selection, Outcome outcome) {
        if (!selection.isComplete()) {
            selection.complete(outcome);
        }
        RequestLogBuilder closed = new RequestLogBuilder(log.requestId(), log.clientAddress(), "TUNNEL", log.target(),
                body.protocol(), log.startMillis(), log.ticker(), log.startNanos());
        log.route().ifPresent(closed::route);
        log.upstream().ifPresent(closed::upstream);
        closed.client(log.userAgent().orElse(null), log.referer().orElse(null)).tls(log.tls().orElse(null));
        log.attempts().forEach(closed::attempt);
        closed.status(log.status()).addRequestBodyBytes(tunnel.bytesFromClient())
                .addResponseBodyBytes(tunnel.bytesFromBackend());
        closed.end(routing.listeners());
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
        closeIfBodyUnread();
        if (Grpc.isGrpc(clientToProxyRequest.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            writeGrpcError(status, upstream.map(UpstreamFailure::kind).orElse(null));
            return;
        }
        log.status(status).firstByte();
        log.addResponseBodyBytes(ErrorResponses.body(status).length);
        ErrorResponses.write(proxyToClientResponse, Callback.from(() -> end(null), this::end), status,
                ctx.requestId());
    }

    /**
     * Says {@code Connection: close} on an HTTP/1.x response that goes out before the client's
     * request body has been read to its end: a backend (or a filter) answered early. Jetty closes
     * such a connection once the response is done, since what is left of the body would be read as
     * the next request; without the header the client would take the connection as kept alive and
     * send its next request into the close (a POST, which clients do not resend, then fails).
     * Envoy does the same; over HTTP/2 only the stream ends. A body whose every announced byte
     * was read is not unread even if its end was not read yet (a backend that answers on the last
     * byte, before the proxy reads on): Jetty ends it from what it has and keeps the connection.
     */
    private void closeIfBodyUnread() {
        ProxyRequest asked = clientRequest;
        if (asked != null && asked.body() instanceof ClientBody body && !body.allTaken()
                && clientToProxyRequest.getConnectionMetaData().getHttpVersion().getVersion() < 20) {
            proxyToClientResponse.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /**
     * Tells a plain HTTP/1.x client connection that its response is written, when the request had
     * no body or its body was read to its end: the read Jetty makes next, for the next request, is skipped (a
     * client sends it after reading this response). Under TLS or the PROXY protocol the endpoint
     * is wrapped and reads as before; HTTP/2 reads its connection for all its streams.
     */
    private void nextReadFindsNothing() {
        ProxyRequest asked = clientRequest;
        ConnectionMetaData connection = clientToProxyRequest.getConnectionMetaData();
        if (asked != null && (!(asked.body() instanceof ClientBody body) || body.readToEnd())
                && connection.getHttpVersion().getVersion() < 20
                && connection.getConnection().getEndPoint() instanceof LoopConnector.LoopEndPoint endPoint) {
            endPoint.responseWritten();
        }
    }

    /**
     * A gRPC client gets the proxy's failure as gRPC status (HTTP 200, trailers-only), as gRPC
     * clients expect; {@code status} is what a plain client would have got, in the message.
     */
    private void writeGrpcError(int status, UpstreamFailure.@Nullable Kind kind) {
        ProxyResponse error = Grpc.error(status, kind, status + " " + HttpStatus.getMessage(status));
        proxyToClientResponse.setStatus(error.status());
        HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
        Headers out = error.headers();
        for (int i = 0; i < out.size(); i++) {
            headers.put(out.name(i), out.value(i));
        }
        if (!ctx.requestId().isEmpty()) {
            headers.put("X-Request-Id", ctx.requestId());
        }
        log.status(error.status()).firstByte();
        proxyToClientResponse.write(true, null, Callback.from(() -> end(null), this::end));
    }

    private String endpoint() {
        BackendAttempt last = attempt;
        Endpoint endpoint = last == null ? null : last.endpoint();
        return endpoint == null ? "-" : endpoint.authority();
    }

    /** The exchange is over, well ({@code failure} null) or not: settle what is out, log, tell Jetty. Once. */
    private void end(@Nullable Throwable failure) {
        java.util.concurrent.CompletableFuture<Void> pending = ctx.pendingWork();
        if (!pending.isDone() && !ended.get()) {
            // A filter's work goes on after the answer (a background revalidation): the end waits for it.
            pending.whenComplete((ok, ignored) -> {
                try {
                    ctx.eventLoop().execute(() -> end(failure));
                } catch (RuntimeException refused) {
                    end(failure);
                }
            });
            return;
        }
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
            log.end(routing.listeners());
            endTrace();
        } catch (RuntimeException e) {
            LOG.error("ending the exchange of {} failed", log, e);
        } finally {
            routing.release();
            if (failure == null) {
                nextReadFindsNothing();
                callback.succeeded();
            } else {
                callback.failed(failure);
            }
        }
    }

    private void endTrace() {
        if (trace != RequestTrace.NONE) {
            try {
                trace.end(log);
            } catch (RuntimeException e) {
                LOG.warn("tracing {} failed at its end", log, e);
            }
        }
    }

    /** Completes the answering attempt's selection and frees its body if nobody read it to the end. */
    private void settle(@Nullable Answer settled, @Nullable Throwable failure) {
        if (settled == null || settled == ENDED) {
            return;
        }
        Body body = settled.body();
        if (body != null) {
            discardIfUnread(body);
        }
        Selection selection = settled.selection();
        Outcome outcome = settled.outcome();
        if (failure == null && body instanceof TunnelBody tunnel && tunnel.handedOver() && selection != null
                && outcome != null) {
            // The endpoint serves the tunnel until it closes: that ends the selection.
            tunnel.tunnel().onEnd(ended -> endTunnel(ended, tunnel, selection, outcome));
            return;
        }
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

    @Override
    public void attempting(BackendAttempt attempt) {
        this.attempt = attempt;
    }

    /**
     * The attempt that answered: its selection is completed, with its outcome, when the exchange
     * ends; at once (abandoned, the body freed) when it already has.
     */
    @Override
    public Body received(Body body, Selection selection, Outcome outcome) {
        if (!answer.compareAndSet(null, new Answer(body, selection, outcome))) {
            discardIfUnread(body);
            if (!selection.isComplete()) {
                selection.complete(Outcome.abandoned(outcome.latencyNanos()));
            }
        }
        return body;
    }

    /** Frees a backend's body nobody read to the end, or closes a tunnel the client did not get. */
    private void discardIfUnread(Body body) {
        if (body instanceof UpstreamBody streamed) {
            streamed.discardIfUnread(log);
        } else if (body instanceof TunnelBody tunnel) {
            tunnel.discardIfUnused();
        }
    }

    /** False once the client went away or the exchange ended: no more attempts are worth making. */
    @Override
    public boolean inFlight() {
        return !ended.get() && !clientFailed;
    }

    @Override
    public RequestLogBuilder log() {
        return log;
    }

    @Override
    public RequestTrace trace() {
        return trace;
    }

    @Override
    public Ticker ticker() {
        return ctx.ticker();
    }

    @Override
    public int loop() {
        return loop;
    }

    @Override
    public org.eclipse.jetty.server.ConnectionMetaData clientConnection() {
        return clientToProxyRequest.getConnectionMetaData();
    }

    @Override
    public org.eclipse.jetty.http.HttpFields clientFields() {
        return clientToProxyRequest.getHeaders();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
