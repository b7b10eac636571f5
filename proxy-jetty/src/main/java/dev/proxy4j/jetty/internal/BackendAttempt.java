package dev.proxy4j.jetty.internal;

import dev.proxy4j.route.HostHeader;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.forward.HopByHop;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.trace.AttemptTrace;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * One try at one endpoint: the proxy-to-server request built from the core request, sent with the
 * client of the loop that read the client's request, and its outcome: the response head with its
 * body still streaming, or an {@link UpstreamFailure}, delivered once.
 */
final class BackendAttempt implements UpstreamBody.Exchange {

    private final UpstreamRuntime upstream;
    private final Endpoint endpoint;
    private final Timeouts timeouts;
    /** Silence both ways on the tunnel, once the backend switched protocols; zero: the connections' own. */
    private final java.time.Duration tunnelIdle;
    private final HostHeader hostHeader;
    private final int loop;
    /** What of the backend's identity (Server, X-Powered-By) is left out of the response as it is copied. */
    private final dev.proxy4j.config.BackendIdentity identity;
    private volatile org.eclipse.jetty.client.@Nullable Request proxyToServerRequest;
    private volatile boolean headersReceived;
    private java.util.function.@Nullable Supplier<org.eclipse.jetty.http.@Nullable HttpFields> trailers;
    /** Send on a connection of its own, outside the pool, closed when the exchange ends. */
    private boolean newConnection;
    private volatile boolean staleConnection;
    private @Nullable Object tag;
    private volatile LeanHttp11.@Nullable Exchange lean;
    /** The response whose body is streaming, once its head came (Jetty's client path). */
    private volatile org.eclipse.jetty.client.@Nullable Response serverToProxy;
    private @Nullable HttpFields clientFields;
    private org.eclipse.jetty.io.@Nullable Connection tagClient;

    BackendAttempt(UpstreamRuntime upstream, Endpoint endpoint, Timeouts timeouts, java.time.Duration tunnelIdle,
            HostHeader hostHeader, int loop, dev.proxy4j.config.BackendIdentity identity) {
        this.identity = identity;
        this.upstream = upstream;
        this.endpoint = endpoint;
        this.timeouts = timeouts;
        this.tunnelIdle = tunnelIdle;
        this.hostHeader = hostHeader;
        this.loop = loop;
    }

    /**
     * The request's tag: a PROXY protocol header for the backend connection ({@link ProxyProtocolTags}),
     * for client connection {@code client} (null for the proxy's own calls); before {@link #send}.
     */
    void tag(Object tag, org.eclipse.jetty.io.@Nullable Connection client) {
        this.tag = tag;
        this.tagClient = client;
    }

    /**
     * The fields the client sent, which the request's headers were copied from: those still the
     * same go to the backend as they are ({@link SameFields}); before {@link #send}.
     */
    void clientFields(@Nullable HttpFields fields) {
        clientFields = fields;
    }

    /** Where the request's trailers come from, asked once its content has been sent; before {@link #send}. */
    void trailers(java.util.function.Supplier<org.eclipse.jetty.http.@Nullable HttpFields> supplier) {
        trailers = supplier;
    }

    /**
     * Sends on a new connection of this attempt's own rather than a pooled one, and closes it when
     * the exchange ends: the retry of a request whose kept-alive connection the backend closed,
     * which another pooled connection (closed by the same reload, say) could fail the same way.
     * Before {@link #send}; HTTP/1.1 upstreams only.
     */
    void onNewConnection() {
        newConnection = true;
    }

    /**
     * True once the attempt failed on a pooled connection that had carried a response before and
     * ended before any byte of this one's response: the backend closed it as the request went out.
     */
    boolean failedOnStaleConnection() {
        return staleConnection;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Sends {@code request}; {@code outcome} gets the response (whose body is an {@link UpstreamBody})
     * or the failure, once. {@code content} is the request body as Jetty sends it, or null for none.
     * With an {@code upgrade} protocol, the request asks the backend to switch to it, and a 101
     * comes with a {@link TunnelBody} holding the backend's connection.
     */
    void send(ProxyRequest request, org.eclipse.jetty.client.Request.@Nullable Content content, String upgrade,
            AttemptTrace trace, BiConsumer<@Nullable ProxyResponse, @Nullable UpstreamFailure> outcome) {
        boolean http2 = upstream.upstream().protocol() == UpstreamProtocol.HTTP_2;
        if (LeanHttp11.enabled && !http2 && upgrade.isEmpty() && content == null && tag == null && !newConnection
                && !endpoint.isSecure() && trace == AttemptTrace.NONE) {
            LeanHttp11.Pool pool = upstream.leanPool(endpoint, loop);
            if (pool.canSend()) {
                sendLean(pool, request, outcome);
                return;
            }
        }
        // An HTTP/2 client's extended CONNECT reaches an HTTP/1.1 backend as RFC 6455's GET.
        boolean extendedConnect = !upgrade.isEmpty() && "CONNECT".equals(request.method());
        String key = extendedConnect && upgrade.equalsIgnoreCase("websocket") ? WebSocketKeys.newKey() : null;
        org.eclipse.jetty.client.Request out = new BackendRequest(upstream.client(loop), upstream.origin(endpoint),
                request.path(), request.query())
                .method(extendedConnect ? "GET" : request.method())
                .version(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1);
        // Before any timer starts: each aborts what this field holds.
        proxyToServerRequest = out;
        org.eclipse.jetty.io.Transport resolved = ResolvedTransport.of(endpoint);
        if (resolved != null) {
            // To the address the name resolved to; the URI keeps the name for Host and SNI.
            out.transport(resolved);
        }
        if (tag != null) {
            out.tag(tag);
        }
        AddedFields added = upstream.pool().addedFields(loop);
        out.headers(headers -> {
            Headers in = request.headers();
            // The client's own fields, where a header is still one of them (most are: SameFields).
            HttpFields origin = clientFields;
            int originSize = SameFields.searchable(origin) ? origin.size() : 0;
            int next = 0;
            for (int i = 0; i < in.size(); i++) {
                String name = in.name(i);
                String value = in.value(i);
                int same = originSize == 0 ? -1 : SameFields.indexOf(origin, originSize, next, name, value);
                if (same >= 0) {
                    next = same + 1;
                    HttpField field = origin.getField(same);
                    HttpHeader known = field.getHeader();
                    if (known != HttpHeader.CONTENT_LENGTH && known != HttpHeader.EXPECT && known != HttpHeader.HOST) {
                        headers.add(field);
                    }
                } else if (!isSetByClient(name)) {
                    headers.add(added.field(name, value));
                }
            }
            // An HTTP/2 backend gets the endpoint's :authority; a Host differing from it is an error there.
            if (hostHeader == HostHeader.PRESERVE && !http2 && !request.authority().isEmpty()) {
                headers.put(HttpHeader.HOST, request.authority());
            }
            if (!upgrade.isEmpty()) {
                headers.put(HttpHeader.UPGRADE, upgrade);
                headers.put(HttpHeader.CONNECTION, "Upgrade");
            }
            if (key != null) {
                headers.put(HttpHeader.SEC_WEBSOCKET_KEY, key);
            }
            if (trace != AttemptTrace.NONE) {
                // The attempt's own context replaces the client's traceparent/tracestate; untraced, they pass as they came.
                trace.inject(headers::put);
            }
        });
        if (!timeouts.idle().isZero()) {
            out.idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!timeouts.total().isZero()) {
            out.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (content != null) {
            out.body(content);
            if (trailers != null) {
                out.trailersSupplier(trailers);
            }
        }
        Deadlines deadlines = upstream.pool().deadlines(loop);
        HeadersTimer headersTimer = new HeadersTimer(this, timeouts.responseHeaders(),
                () -> new Failures.ResponseHeadersTimeout(timeouts.responseHeaders()), deadlines);
        Duration perTry = upstream.upstream().retryPolicy().perTryTimeout();
        // None at all without a per-try timeout: nothing more per request on the common path.
        @Nullable HeadersTimer perTryTimer = perTry.isZero() ? null
                : new HeadersTimer(this, perTry, () -> new Failures.PerTryTimeout(perTry), deadlines);
        if (!upgrade.isEmpty()) {
            // A 101 goes to this upgrader rather than to the listener below (TunnelUpgrades).
            out.attribute(HttpUpgrader.Factory.class.getName(), (HttpUpgrader.Factory) version -> new HttpUpgrader() {
                @Override
                public void prepare(org.eclipse.jetty.client.Request request) {
                    // The Upgrade and Connection headers are already set.
                }

                @Override
                public void upgrade(org.eclipse.jetty.client.Response response, EndPoint endPoint, Callback done) {
                    headersTimer.stop();
                    if (perTryTimer != null) {
                        perTryTimer.stop();
                    }
                    if (key != null && !WebSocketKeys.accepts(key,
                            response.getHeaders().get(HttpHeader.SEC_WEBSOCKET_ACCEPT))) {
                        // Fails the exchange, which the listener reports: the backend answered wrongly.
                        endPoint.close();
                        throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_RESPONSE,
                                "the backend's 101 does not accept the proxy's WebSocket key");
                    }
                    HttpClient client = upstream.client(loop);
                    Tunnel tunnel = new Tunnel(client.getByteBufferPool(), client.getExecutor(), tunnelIdle)
                            .countIn(upstream.pool().openTunnels());
                    tunnel.attachBackend(endPoint);
                    headersReceived = true;
                    done.succeeded();
                    String switched = response.getHeaders().get(HttpHeader.UPGRADE);
                    outcome.accept(ProxyResponse.builder(response.getStatus())
                            .headers(responseHeaders(response.getHeaders(), identity))
                            .body(new TunnelBody(tunnel, switched == null ? upgrade : switched))
                            .build(), null);
                }
            });
        }
        if (!timeouts.responseHeaders().isZero()) {
            // The wait for the response starts once the whole request has gone: a long upload is not slow headers.
            out.onRequestSuccess(sent -> headersTimer.start());
        }
        if (perTryTimer != null) {
            // From the attempt's start, the connection included: Envoy's per_try_timeout.
            perTryTimer.start();
        }
        org.eclipse.jetty.client.Response.Listener listener = new org.eclipse.jetty.client.Response.Listener() {
            @Override
            public void onContentSource(org.eclipse.jetty.client.Response response, Content.Source source) {
                headersTimer.stop();
                if (perTryTimer != null) {
                    perTryTimer.stop();
                }
                headersReceived = true;
                serverToProxy = response;
                HttpFields headers = response.getHeaders();
                UpstreamBody body = new UpstreamBody(BackendAttempt.this, headers, source, headers.getLongField(HttpHeader.CONTENT_LENGTH));
                outcome.accept(ProxyResponse.builder(response.getStatus())
                        .headers(responseHeaders(headers, identity))
                        .body(body)
                        .build(), null);
            }

            @Override
            public void onComplete(Result result) {
                headersTimer.stop();
                if (perTryTimer != null) {
                    perTryTimer.stop();
                }
                if (result.isFailed() && !headersReceived) {
                    staleConnection = !newConnection && Http11Upstream.staleConnection(result.getRequest());
                    outcome.accept(null, Failures.classify(result.getFailure(), false, result.getRequest()));
                }
            }
        };
        if (newConnection) {
            sendOnNewConnection(out, listener, () -> {
                headersTimer.stop();
                if (perTryTimer != null) {
                    perTryTimer.stop();
                }
            }, outcome);
        } else if (upgrade.isEmpty()) {
            destination(out).send(out, listener);
        } else {
            out.send(listener);
        }
    }

    /** {@link #send} by the lean client ({@link LeanHttp11}), with the same timeouts. */
    private void sendLean(LeanHttp11.Pool pool, ProxyRequest request,
            BiConsumer<@Nullable ProxyResponse, @Nullable UpstreamFailure> outcome) {
        Deadlines deadlines = upstream.pool().deadlines(loop);
        Duration perTry = upstream.upstream().retryPolicy().perTryTimeout();
        @Nullable HeadersTimer headersTimer = timeouts.responseHeaders().isZero() ? null
                : new HeadersTimer(this, timeouts.responseHeaders(),
                        () -> new Failures.ResponseHeadersTimeout(timeouts.responseHeaders()), deadlines);
        @Nullable HeadersTimer perTryTimer = perTry.isZero() ? null
                : new HeadersTimer(this, perTry, () -> new Failures.PerTryTimeout(perTry), deadlines);
        // Jetty's total timeout, from the request's start to the end of its response.
        @Nullable HeadersTimer totalTimer = timeouts.total().isZero() ? null
                : new HeadersTimer(this, timeouts.total(), () -> new java.util.concurrent.TimeoutException(
                        "total timeout " + timeouts.total().toMillis() + " ms elapsed"), deadlines);
        LeanHttp11.Exchange exchange = new LeanHttp11.Exchange(request, identity,
                hostHeader == HostHeader.PRESERVE ? request.authority() : "", timeouts.idle());
        exchange.onEvents(new LeanHttp11.Events() {
            @Override
            public void sent() {
                if (headersTimer != null) {
                    headersTimer.start();
                }
            }

            @Override
            public void outcome(@Nullable ProxyResponse response, @Nullable UpstreamFailure failure) {
                stop(headersTimer);
                stop(perTryTimer);
                if (response != null) {
                    headersReceived = true;
                } else {
                    stop(totalTimer);
                    staleConnection = exchange.failedOnStaleConnection();
                }
                outcome.accept(response, failure);
            }

            @Override
            public void ended() {
                stop(totalTimer);
            }
        });
        lean = exchange;
        if (perTryTimer != null) {
            perTryTimer.start();
        }
        if (totalTimer != null) {
            totalTimer.start();
        }
        pool.send(exchange);
    }

    private static void stop(@Nullable HeadersTimer timer) {
        if (timer != null) {
            timer.stop();
        }
    }

    /**
     * Where {@code out} goes: the destination found once per endpoint and loop (what the client
     * would look up for it), unless the request has a tag (a PROXY protocol header): then the
     * client's own destination for that tag, one per client connection, whose connections carry
     * that client's header and no other's, closed when that client connection closes.
     */
    private org.eclipse.jetty.client.transport.HttpDestination destination(org.eclipse.jetty.client.Request out) {
        if (tag == null) {
            return upstream.destination(endpoint, loop, out);
        }
        var destination = (org.eclipse.jetty.client.transport.HttpDestination) upstream.client(loop).resolveDestination(out);
        org.eclipse.jetty.io.Connection client = tagClient;
        if (client != null) {
            upstream.pool().closeWithClient(client, destination);
        }
        return destination;
    }

    /** Opens a connection outside the pool, sends {@code out} on it, and closes it once the exchange is over. */
    private void sendOnNewConnection(org.eclipse.jetty.client.Request out,
            org.eclipse.jetty.client.Response.Listener listener, Runnable stopTimers,
            BiConsumer<@Nullable ProxyResponse, @Nullable UpstreamFailure> outcome) {
        destination(out).newConnection(new org.eclipse.jetty.util.Promise<>() {
            @Override
            public void succeeded(org.eclipse.jetty.client.Connection connection) {
                out.onComplete(done -> connection.close());
                connection.send(out, listener);
            }

            @Override
            public void failed(Throwable failure) {
                stopTimers.run();
                outcome.accept(null, Failures.classify(failure, false));
            }
        });
    }

    /** The core request's body as Jetty's client sends it: the client's own reader when untouched. */
    static org.eclipse.jetty.client.Request.@Nullable Content content(Body body) {
        if (body instanceof ClientBody client) {
            return client.content();
        }
        if (body == Body.empty()) {
            return null;
        }
        if (body instanceof Body.Bytes bytes) {
            // No content type of its own (Jetty's would be application/octet-stream): only the request's headers say one.
            return new ByteBufferRequestContent((String) null, ByteBuffer.wrap(bytes.toByteArray()));
        }
        return new CoreContent(body);
    }

    /** Aborts the exchange with the backend, e.g. when the client went away. */
    void abort(Throwable reason) {
        LeanHttp11.Exchange exchange = lean;
        if (exchange != null) {
            exchange.abort(reason);
        }
        org.eclipse.jetty.client.Request out = proxyToServerRequest;
        if (out != null) {
            out.abort(reason);
        }
    }

    @Override
    public @Nullable HttpFields trailers() {
        org.eclipse.jetty.client.Response response = serverToProxy;
        return response == null ? null : response.getTrailers();
    }

    /** Aborts the exchange whose body is streaming (the body's {@link UpstreamBody.Exchange} side). */
    @Override
    public void abortBody(Throwable failure) {
        org.eclipse.jetty.client.Response response = serverToProxy;
        if (response != null) {
            response.abort(failure);
        }
    }

    @Override
    public UpstreamFailure classify(Throwable failure) {
        org.eclipse.jetty.client.Request request = proxyToServerRequest;
        return request == null ? Failures.classify(failure, true) : Failures.classify(failure, true, request);
    }

    /** Content-Length, Expect and Host: what Jetty's client sets itself from the request it sends. */
    private static boolean isSetByClient(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Host");
            case 6 -> name.equalsIgnoreCase("Expect");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            default -> false;
        };
    }

    /**
     * The backend's response headers as the core's, in one copy: without the hop-by-hop ones
     * ({@link HopByHop}) and without those {@code identity} hides: every backend response's
     * headers are made here, so nothing applies the identity policy to them again. A Connection
     * header naming other headers than keep-alive or close takes the general path.
     */
    static Headers responseHeaders(HttpFields fields, dev.proxy4j.config.BackendIdentity identity) {
        Headers.Builder headers = Headers.builder(fields.size());
        for (HttpField field : fields) {
            String name = field.getName();
            HttpHeader known = field.getHeader();
            if (known == HttpHeader.CONNECTION && !namesNoHeader(field.getValue())) {
                return generalResponseHeaders(fields, identity);
            }
            if (HopByHop.isHopByHop(name) || identity.hides(name)) {
                continue;
            }
            headers.add(name, field.getValue());
        }
        return headers.build();
    }

    /** True for a Connection value of only keep-alive or close, in any case: it names no header to drop. */
    private static boolean namesNoHeader(String connection) {
        return connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close");
    }

    private static Headers generalResponseHeaders(HttpFields fields, dev.proxy4j.config.BackendIdentity identity) {
        Headers.Builder headers = Headers.builder(fields.size());
        for (HttpField field : fields) {
            if (!identity.hides(field.getName())) {
                headers.add(field.getName(), field.getValue());
            }
        }
        return HopByHop.strip(headers.build());
    }

    /**
     * Aborts the exchange when no response headers arrive in time after it is started: when the
     * request is complete (the route's timeout) or when it is made (the per-try timeout); stopped
     * when headers arrive or the exchange ends, in whichever order those happen. One of the loop's
     * {@link Deadlines}: nothing is scheduled per request.
     */
    private static final class HeadersTimer extends Deadlines.Timeout {
        private final BackendAttempt attempt;
        private final Duration timeout;
        private final java.util.function.Supplier<Throwable> failure;
        private final Deadlines deadlines;

        /** {@code failure}: what the exchange is aborted with when the time runs out. */
        HeadersTimer(BackendAttempt attempt, Duration timeout,
                java.util.function.Supplier<Throwable> failure, Deadlines deadlines) {
            this.attempt = attempt;
            this.timeout = timeout;
            this.failure = failure;
            this.deadlines = deadlines;
        }

        void start() {
            deadlines.start(this, timeout);
        }

        void stop() {
            deadlines.stop(this);
        }

        @Override
        protected void expired() {
            attempt.abort(failure.get());
        }
    }
}
