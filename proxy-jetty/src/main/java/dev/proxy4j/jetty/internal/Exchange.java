package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.HostHeader;
import dev.proxy4j.config.Timeouts;
import dev.proxy4j.filter.FilterException;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.forward.HopByHop;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request and what it takes to answer it: the attempts at backends (another endpoint is
 * tried only when the connection could not be made, so no byte of the request was sent), and the
 * copy of the response back to the client.
 */
final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final ForwardingHandler handler;
    private final RouteRuntime runtime;
    private final Request clientToProxyRequest;
    private final Response proxyToClientResponse;
    private final Callback callback;
    private final ProxyRequest received;
    private final String target;
    private final long start;
    /** The event loop the client's connection is on; the backend connection is taken from the same one. */
    private final int loop;
    private final @Nullable RequestBody requestBody;
    private final CompletableFuture<ProxyResponse> upstreamResponse = new CompletableFuture<>();

    private final Set<Endpoint> tried = new HashSet<>(2);
    private volatile org.eclipse.jetty.client.@Nullable Request proxyToServerRequest;
    private volatile @Nullable Endpoint endpoint;
    private volatile @Nullable RequestContext ctx;
    private volatile int upstreamStatus;
    private volatile @Nullable UpstreamBody upstreamBody;
    private volatile boolean inFlight = true;
    /** What failed the exchange with the backend, to tell it from a failure a filter made. */
    private volatile @Nullable Throwable upstreamFailure;
    private long bytesSent;

    Exchange(ForwardingHandler handler, RouteRuntime runtime, Request clientToProxyRequest,
            Response proxyToClientResponse, Callback callback, ProxyRequest received, String target, long start,
            int loop) {
        this.handler = handler;
        this.runtime = runtime;
        this.clientToProxyRequest = clientToProxyRequest;
        this.proxyToClientResponse = proxyToClientResponse;
        this.callback = callback;
        this.received = received;
        this.target = target;
        this.start = start;
        this.loop = loop;
        this.requestBody = hasBody(clientToProxyRequest)
                ? new RequestBody(clientToProxyRequest, handler.config().limits().maxRequestBodyBytes())
                : null;
        // While the backend works, the client's connection is not idle: the route's timeouts govern.
        clientToProxyRequest.addIdleTimeoutListener(timeout -> !inFlight);
        clientToProxyRequest.addFailureListener(this::onClientFailure);
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        if (length >= 0) {
            return length > 0;
        }
        String method = request.getMethod();
        return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
                || !(HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method));
    }

    /** The terminal step of the filter chain: the backend. */
    CompletionStage<ProxyResponse> forward(RequestContext ctx, ProxyRequest request) {
        this.ctx = ctx;
        attempt(ctx, request);
        return upstreamResponse;
    }

    private void attempt(RequestContext ctx, ProxyRequest request) {
        Optional<Selection> chosen = runtime.route().upstream().select(ctx, request, tried);
        if (chosen.isEmpty()) {
            upstreamResponse.completeExceptionally(new dev.proxy4j.upstream.UpstreamFailure(
                    dev.proxy4j.upstream.UpstreamFailure.Kind.NO_ENDPOINT, "no endpoint left"));
            return;
        }
        send(request, chosen.get());
    }

    private void send(ProxyRequest request, Selection selection) {
        Upstream upstream = runtime.route().upstream();
        Endpoint chosen = selection.endpoint();
        tried.add(chosen);
        endpoint = chosen;
        boolean http2 = upstream.protocol() == UpstreamProtocol.HTTP_2;
        HostHeader hostHeader = runtime.route().hostHeader();

        org.eclipse.jetty.client.Request out = runtime.client(loop)
                .newRequest(runtime.origin(chosen))
                .method(request.method())
                .path(request.pathAndQuery())
                .version(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1);
        out.headers(headers -> {
            Headers in = request.headers();
            for (int i = 0; i < in.size(); i++) {
                String name = in.name(i);
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Expect")
                        || name.equalsIgnoreCase("Host")) {
                    continue;
                }
                headers.add(name, in.value(i));
            }
            // An HTTP/2 backend gets the endpoint's :authority; a Host differing from it is an error there.
            if (hostHeader == HostHeader.PRESERVE && !http2 && !request.authority().isEmpty()) {
                headers.put(HttpHeader.HOST, request.authority());
            }
        });
        Timeouts timeouts = runtime.timeouts();
        if (!timeouts.idle().isZero()) {
            out.idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!timeouts.total().isZero()) {
            out.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (requestBody != null) {
            out.body(requestBody);
        }
        HeadersTimer headersTimer = new HeadersTimer(out, timeouts.responseHeaders());
        if (!timeouts.responseHeaders().isZero()) {
            // The wait for the response starts once the whole request has gone: a long upload is not slow headers.
            out.onRequestSuccess(sent -> headersTimer.start(handler.scheduler()));
        }
        proxyToServerRequest = out;
        out.send(new org.eclipse.jetty.client.Response.Listener() {
            @Override
            public void onContentSource(org.eclipse.jetty.client.Response response, Content.Source source) {
                headersTimer.stop();
                headersNanos = selection.elapsedNanos();
                upstreamStatus = response.getStatus();
                UpstreamBody body = new UpstreamBody(response, source,
                        response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
                upstreamBody = body;
                upstreamResponse.complete(ProxyResponse.builder(response.getStatus())
                        .headers(responseHeaders(response.getHeaders()))
                        .body(body)
                        .build());
            }

            @Override
            public void onComplete(Result result) {
                headersTimer.stop();
                Outcome outcome = new Outcome(upstreamStatus,
                        result.isFailed() ? kindOf(result.getFailure()) : null,
                        upstreamStatus != 0 ? headersNanos : selection.elapsedNanos());
                selection.complete(outcome);
                if (result.isFailed() && !upstreamResponse.isDone()) {
                    onAttemptFailed(request, result.getFailure(), outcome);
                }
            }

            private long headersNanos;
        });
    }

    private static dev.proxy4j.upstream.UpstreamFailure.Kind kindOf(Throwable failure) {
        return UpstreamFailure.isConnectFailure(failure)
                ? dev.proxy4j.upstream.UpstreamFailure.Kind.CONNECT_REFUSED
                : dev.proxy4j.upstream.UpstreamFailure.Kind.OTHER;
    }

    private void onAttemptFailed(ProxyRequest request, Throwable failure, Outcome outcome) {
        boolean nothingSent = UpstreamFailure.isConnectFailure(failure)
                && (requestBody == null || !requestBody.started());
        RequestContext context = ctx;
        if (inFlight && context != null) {
            Optional<Selection> next = runtime.route().upstream().retry(context, request, tried, tried.size(), outcome,
                    requestBody != null && requestBody.started());
            if (next.isPresent()) {
                LOG.debug("retrying {} on another endpoint after {}", received, failure.toString());
                send(request, next.get());
                return;
            }
        }
        LOG.debug("{} failed, nothing sent: {}, body started: {}", received, nothingSent,
                requestBody != null && requestBody.started(), failure);
        upstreamFailure = failure;
        upstreamResponse.completeExceptionally(failure);
    }

    private static Headers responseHeaders(HttpFields fields) {
        Headers.Builder headers = Headers.builder();
        for (HttpField field : fields) {
            headers.add(field.getName(), field.getValue());
        }
        return HopByHop.strip(headers.build());
    }

    /** The end of the filter chain: write what came back, or an error. */
    void respond(@Nullable ProxyResponse response, @Nullable Throwable failure) {
        if (failure != null) {
            fail(unwrap(failure));
            return;
        }
        proxyToClientResponse.setStatus(response.status());
        HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
        Headers out = response.headers();
        for (int i = 0; i < out.size(); i++) {
            headers.add(out.name(i), out.value(i));
        }
        if (!headers.contains("X-Request-Id")
                && handler.config().forwarding().emitted().contains(ForwardedHeader.X_REQUEST_ID)) {
            headers.put("X-Request-Id", received.requestId());
        }
        Body body = response.body();
        UpstreamBody fromBackend = upstreamBody;
        if (fromBackend != null && body != fromBackend) {
            fromBackend.discard(new IllegalStateException("body replaced by a filter"));
        }
        if (body instanceof UpstreamBody streamed) {
            copy(streamed);
        } else if (body instanceof Body.Bytes bytes) {
            headers.put(HttpHeader.CONTENT_LENGTH, bytes.length());
            bytesSent = bytes.length();
            proxyToClientResponse.write(true, ByteBuffer.wrap(bytes.unsafeArray()), completion());
        } else {
            fail(new FilterException("unsupported body type " + body.getClass().getName()
                    + " (expected: Body.empty(), Body.of(...) or the body the chain returned)"));
        }
    }

    private void copy(UpstreamBody body) {
        if (body.length() < 0) {
            // Chunked or HTTP/2: pass the backend's trailers on, if it sends any.
            proxyToClientResponse.setTrailersSupplier(() -> body.response().getTrailers());
        }
        Content.Sink counting = (last, buffer, writeCallback) -> {
            bytesSent += buffer.remaining();
            proxyToClientResponse.write(last, buffer, writeCallback);
        };
        Callback done = completion();
        Content.copy(body.source(), counting, Callback.from(done::succeeded, failure -> {
            body.response().abort(failure);
            done.failed(failure);
        }));
    }

    private Callback completion() {
        return Callback.from(() -> {
            inFlight = false;
            log(proxyToClientResponse.getStatus());
            callback.succeeded();
        }, failure -> {
            inFlight = false;
            log(proxyToClientResponse.getStatus());
            callback.failed(failure);
        });
    }

    private void fail(Throwable failure) {
        boolean fromFilter = failure instanceof FilterException || failure != upstreamFailure;
        int status = fromFilter ? 500 : UpstreamFailure.status(failure);
        if (failure instanceof FilterException) {
            LOG.error("{} on {}", failure.getMessage(), received, failure.getCause());
        } else if (fromFilter) {
            LOG.error("the filter chain failed on {}", received, failure);
        } else if (status == 413) {
            LOG.debug("request body too large for {}", received);
        } else if (inFlight) {
            Endpoint failed = endpoint;
            LOG.warn("upstream {} failed for {}: {}", failed == null ? "-" : failed.authority(), received,
                    failure.toString());
        }
        if (proxyToClientResponse.isCommitted()) {
            inFlight = false;
            log(status);
            callback.failed(failure);
            return;
        }
        inFlight = false;
        bytesSent = ErrorResponses.body(status).length;
        ErrorResponses.write(proxyToClientResponse, Callback.from(() -> {
            log(status);
            callback.succeeded();
        }, callback::failed), status, received.requestId());
    }

    private void onClientFailure(Throwable failure) {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        org.eclipse.jetty.client.Request out = proxyToServerRequest;
        if (out != null) {
            out.abort(failure);
        }
    }

    private void log(int status) {
        if (!AccessLog.enabled()) {
            return;
        }
        Endpoint answered = endpoint;
        AccessLog.log(received.clientAddress(), received.method(), target, received.protocol(), status, bytesSent,
                start, answered == null ? "-" : answered.authority(), upstreamStatus, received.requestId());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Aborts the exchange when no response headers arrive in time after the request was sent.
     * Started when the request is complete, stopped when headers arrive or the exchange ends,
     * in whichever order those happen.
     */
    private static final class HeadersTimer {
        private final org.eclipse.jetty.client.Request request;
        private final java.time.Duration timeout;
        private final java.util.concurrent.atomic.AtomicReference<Object> state = new java.util.concurrent.atomic.AtomicReference<>();
        private static final Object STOPPED = new Object();

        HeadersTimer(org.eclipse.jetty.client.Request request, java.time.Duration timeout) {
            this.request = request;
            this.timeout = timeout;
        }

        void start(Scheduler scheduler) {
            if (state.get() != null) {
                return;
            }
            Scheduler.Task task = scheduler.schedule(
                    () -> request.abort(new TimeoutException("no response headers within " + timeout)),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!state.compareAndSet(null, task)) {
                task.cancel();
            }
        }

        void stop() {
            Object previous = state.getAndSet(STOPPED);
            if (previous instanceof Scheduler.Task task) {
                task.cancel();
            }
        }
    }
}
