package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.RequestHygiene;
import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.http.Headers;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.PathNormalizer;
import dev.proxy4j.log.Refusal;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.log.RequestLogListener;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.trace.RequestTrace;
import java.time.Clock;
import dev.proxy4j.upstream.Upstream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path's entry: the client-to-proxy request checked at the door, its core view and
 * context built, and a {@link ClientExchange} started on the routing snapshot in force. Never
 * blocks; every step continues on completion.
 *
 * <p>It runs on the event loop that read the request ({@link LoopConnector}); the request's
 * context carries that loop, and its backend request is sent with that loop's client, so the
 * response is read and written back by the same thread.
 */
final class ForwardingHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingHandler.class);

    private final UpstreamPools pools;
    private final HealthChecks health;
    private final DnsRefreshes dns;
    private final AtomicReference<Routing> current;
    private final List<JettyEventLoop> loops;
    private final Executor blocking;
    private final Encoders encoders;
    private final List<RequestLogListener> fixedListeners;

    ForwardingHandler(ProxyConfig config, UpstreamPools pools, HealthChecks health, DnsRefreshes dns,
            List<JettyEventLoop> loops, Executor blocking, Encoders encoders) {
        this.pools = pools;
        this.health = health;
        this.dns = dns;
        this.encoders = encoders;
        this.loops = List.copyOf(loops);
        this.blocking = blocking;
        this.fixedListeners = config.metrics().<List<RequestLogListener>>map(List::of).orElse(List.of());
        this.current = new AtomicReference<>(new Routing(config, pools, encoders, fixedListeners));
        addBean(pools, true);
        health.inForce(config);
        addBean(health, true);
        dns.inForce(HealthChecks.upstreamsOf(config));
        addBean(dns, true);
    }

    /** Never blocks, so Jetty runs it on the event loop that read the request. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** The configuration requests arriving now get. */
    ProxyConfig config() {
        return current.get().config();
    }

    /** Whether the routing in force answers with X-Request-Id. */
    boolean emitsRequestId() {
        return current.get().emitsRequestId();
    }

    /** The request log listeners in force, for requests refused before they had a context. */
    List<RequestLogListener> listeners() {
        return current.get().listeners();
    }

    /**
     * Swaps in {@code next}'s routes, upstreams, filters and policies: requests arriving from now on
     * get them; requests under way finish with the snapshot they began with.
     */
    void reconfigure(ProxyConfig next) {
        Routing fresh = new Routing(next, pools, encoders, fixedListeners);
        // Before the swap: a new upstream resolving names gets the addresses the old one knew first,
        // then every new upstream takes over what the one of its name in force knew of its servers.
        List<Upstream> upstreams = HealthChecks.upstreamsOf(next);
        dns.inForce(upstreams);
        HealthChecks.carryState(HealthChecks.upstreamsOf(current.get().config()), upstreams);
        current.getAndSet(fresh).release();
        health.inForce(next);
    }

    /** The routing snapshot in force, held for one request. */
    private Routing acquire() {
        for (;;) {
            Routing routing = current.get();
            if (routing.acquire()) {
                return routing;
            }
        }
    }

    @Override
    public boolean handle(Request clientToProxyRequest, Response proxyToClientResponse, Callback callback) {
        Routing routing = acquire();
        try {
            return handle(routing, clientToProxyRequest, proxyToClientResponse, callback);
        } catch (RuntimeException e) {
            // Nothing escapes to Jetty with the snapshot still held: the client gets the proxy's 500.
            LOG.error("the proxy failed on {} {}",
                    clientToProxyRequest.getMethod(), clientToProxyRequest.getHttpURI().getPath(), e);
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, 500);
        }
    }

    private boolean handle(Routing routing, Request clientToProxyRequest, Response proxyToClientResponse,
            Callback callback) {
        ProxyConfig config = routing.config();
        RequestHygiene hygiene = config.hygiene();
        HttpURI uri = clientToProxyRequest.getHttpURI();
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.PATH_NOT_ABSOLUTE);
        }
        if (!hygiene.allowPathParameters() && path.indexOf(';') >= 0) {
            // Servlet backends cut ;params out before they route: the routes would judge another path.
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.PATH_PARAMETER);
        }
        try {
            path = PathNormalizer.normalize(path, hygiene.mergeSlashes(), hygiene.escapedSlashes());
        } catch (PathNormalizer.Rejected rejected) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, rejected.refusal());
        }
        if (!hygiene.allowTrace() && HttpMethod.TRACE.is(clientToProxyRequest.getMethod())) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.METHOD_NOT_ALLOWED);
        }
        HttpFields fields = clientToProxyRequest.getHeaders();
        HttpVersion version = clientToProxyRequest.getConnectionMetaData().getHttpVersion();
        if (version == HttpVersion.HTTP_1_0 && fields.contains(HttpHeader.TRANSFER_ENCODING)) {
            // RFC 9112 6.1: faulty framing, whatever Jetty made of it; the connection is not kept.
            proxyToClientResponse.getHeaders().put(HttpHeader.CONNECTION, "close");
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.BAD_FRAMING);
        }
        if (version == HttpVersion.HTTP_2 && hasConnectionSpecificField(fields)) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.CONNECTION_SPECIFIC_FIELD);
        }
        if (fields.size() > config.limits().maxRequestHeaderCount()) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.TOO_MANY_HEADERS);
        }
        long length = clientToProxyRequest.getLength();
        if (length > config.limits().maxRequestBodyBytes()) {
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.BODY_TOO_LARGE);
        }

        String host = fields.get(HttpHeader.HOST);
        String authority = host != null ? host : uri.getAuthority();
        boolean underscores = hygiene.allowUnderscoresInHeaders();
        Headers.Builder headers = Headers.builder(host != null ? fields.size() - 1 : fields.size());
        HttpField upgrade = null;
        HttpField current = null;
        try {
            for (HttpField field : fields) {
                current = field;
                HttpHeader known = field.getHeader();
                if (known == HttpHeader.UPGRADE) {
                    upgrade = field;
                }
                if (known == HttpHeader.HOST) {
                    continue;
                }
                // Jetty's known headers have no '_'; a name with one is dropped, as nginx does, unless allowed.
                if (known == null && !underscores && field.getName().indexOf('_') >= 0) {
                    continue;
                }
                headers.add(field.getName(), field.getValue());
            }
        } catch (IllegalArgumentException malformed) {
            // A field Jetty let through (over HTTP/2, whose framing can carry any byte): a name that is
            // not an RFC 9110 token, or a value with CR, LF or NUL that would split an HTTP/1.1 head.
            Refusal why = current != null && Checks.isToken(current.getName())
                    ? Refusal.BAD_HEADER_VALUE : Refusal.BAD_HEADER_NAME;
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, why);
        }
        String protocol = clientToProxyRequest.getConnectionMetaData().getProtocol();
        String upgradeTo = upgrade != null ? upgradeOf(clientToProxyRequest, upgrade.getValue())
                : extendedConnectOf(clientToProxyRequest);
        ProxyRequest received;
        try {
            received = ProxyRequest.builder()
                    .method(clientToProxyRequest.getMethod())
                    // The connection's, not the target's: an absolute-form https:// target or an h2c
                    // :scheme of https would otherwise be forwarded as X-Forwarded-Proto: https.
                    .scheme(clientToProxyRequest.getConnectionMetaData().isSecure() ? "https" : "http")
                    .authority(authority == null ? "" : authority)
                    .path(path)
                    .query(uri.getQuery())
                    .headers(headers.build())
                    .protocol(protocol)
                    .peerAddress(Request.getRemoteAddr(clientToProxyRequest))
                    .upgrade(upgradeTo)
                    .build();
        } catch (IllegalArgumentException malformed) {
            // A method, target or authority that could not be written on an HTTP/1.1 request line.
            return refuse(routing, clientToProxyRequest, proxyToClientResponse, callback, Refusal.BAD_REQUEST_LINE);
        }
        ProxyRequest request = config.forwarding().apply(received);

        int loop = loopOf(clientToProxyRequest);
        RequestLogBuilder log = new RequestLogBuilder(request.requestId(), request.clientAddress(), request.method(),
                Objects.requireNonNullElse(uri.getPathQuery(), path), protocol, System.currentTimeMillis(),
                Ticker.system(), begin(clientToProxyRequest));
        TlsInfo tlsInfo = tls(clientToProxyRequest);
        log.client(received.headers().get("User-Agent"), received.headers().get("Referer"))
                .tls(tlsInfo);
        RequestContext ctx = RequestContext.builder()
                .requestId(request.requestId())
                .peerAddress(request.peerAddress())
                .clientAddress(request.clientAddress())
                .tls(tlsInfo)
                .eventLoop(eventLoop(loop))
                .blockingExecutor(blocking)
                .ticker(Ticker.system())
                .clock(Clock.systemUTC())
                .log(log)
                .build();
        if (request.upgrade().isEmpty() && hasBody(clientToProxyRequest)) {
            request = request.toBuilder().body(new ClientBody(
                    new RequestBody(clientToProxyRequest, config.limits().maxRequestBodyBytes(), log))).build();
        }
        // Off, this is one call that returns a shared constant: nothing allocated per request.
        RequestTrace trace = config.tracing().start(request, ctx);
        new ClientExchange(routing, clientToProxyRequest, proxyToClientResponse, callback, ctx, log,
                loop, trace)
                .run(request);
        return true;
    }

    private EventLoop eventLoop(int loop) {
        return loops.get(loop < loops.size() ? loop : 0);
    }

    private static long begin(Request request) {
        long begin = request.getBeginNanoTime();
        return begin != 0 ? begin : System.nanoTime();
    }

    /**
     * The protocol an HTTP/1.1 request asks to switch to: the first Upgrade names, when Connection
     * lists {@code upgrade} and the request has no body (a switch happens once the request is
     * complete; RFC 6455's handshake is a GET). {@code ""} otherwise.
     */
    private static String upgradeOf(Request request, String upgrade) {
        if (!request.getHeaders().contains(HttpHeader.CONNECTION, "upgrade") || hasBody(request)
                || !HttpVersion.HTTP_1_1.is(request.getConnectionMetaData().getProtocol())) {
            return "";
        }
        int comma = upgrade.indexOf(',');
        String first = (comma < 0 ? upgrade : upgrade.substring(0, comma)).strip();
        return Checks.isProtocol(first) ? first : "";
    }

    /**
     * The protocol an HTTP/2 client's extended CONNECT (RFC 8441) opens, e.g. {@code websocket}
     * from {@code :protocol}; {@code ""} for any other request. Its stream carries the tunnel, not a body.
     */
    private static String extendedConnectOf(Request request) {
        if (!HttpMethod.CONNECT.is(request.getMethod())) {
            return "";
        }
        TunnelSupport tunnel = request.getTunnelSupport();
        String protocol = tunnel == null ? null : tunnel.getProtocol();
        return protocol != null && Checks.isProtocol(protocol) ? protocol : "";
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

    /** The TLS facts of the client's connection, when it has TLS. */
    private static @Nullable TlsInfo tls(Request request) {
        if (!(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl)) {
            return null;
        }
        SSLSession session = ssl.sslSession();
        String sni = null;
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName hostName) {
                    sni = hostName.getAsciiName();
                }
            }
        }
        return new TlsInfo(sni, session == null ? "" : session.getProtocol(), String.valueOf(ssl.cipherSuite()));
    }

    /** The loop the client's connection is on, so that the backend connection is on the same one. */
    private static int loopOf(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        // Under TLS and the PROXY protocol, the accepted endpoint is wrapped.
        for (int depth = 0; depth < 3 && !(endPoint instanceof LoopConnector.LoopEndPoint); depth++) {
            if (endPoint instanceof SslConnection.SslEndPoint ssl) {
                endPoint = ssl.getSslConnection().getEndPoint();
            } else if (endPoint instanceof EndPoint.Wrapper wrapper) {
                endPoint = wrapper.unwrap();
            } else {
                break;
            }
        }
        return endPoint instanceof LoopConnector.LoopEndPoint loop ? loop.loop() : 0;
    }

    /**
     * RFC 9113 8.2.2: an HTTP/2 request with a field that only means something to an HTTP/1.1
     * connection is malformed (Jetty refuses {@code connection} and a {@code te} other than
     * {@code trailers} itself).
     */
    private static boolean hasConnectionSpecificField(HttpFields fields) {
        for (HttpField field : fields) {
            HttpHeader known = field.getHeader();
            if (known == HttpHeader.KEEP_ALIVE || known == HttpHeader.PROXY_CONNECTION
                    || known == HttpHeader.TRANSFER_ENCODING || known == HttpHeader.UPGRADE
                    || known == HttpHeader.CONNECTION) {
                return true;
            }
        }
        return false;
    }

    /** Answers a request that goes no further than the door, and logs it with the reason. */
    private static boolean refuse(Routing routing, Request request, Response response, Callback callback,
            Refusal refusal) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("refused {} {} from {} with {}: {}", request.getMethod(), request.getHttpURI().getPathQuery(),
                    Request.getRemoteAddr(request), refusal.status(), refusal.reason());
        }
        return answer(routing, request, response, callback, refusal.status(), refusal);
    }

    /** A request the proxy itself failed on: its 500, logged. */
    private static boolean refuse(Routing routing, Request request, Response response, Callback callback, int status) {
        return answer(routing, request, response, callback, status, null);
    }

    private static boolean answer(Routing routing, Request request, Response response, Callback callback, int status,
            @Nullable Refusal refusal) {
        String requestId = ErrorResponses.refusedRequestId(request);
        RequestLogBuilder log = ErrorResponses.refusedLog(request,
                Objects.requireNonNullElse(request.getHttpURI().getPathQuery(), "-"), request.getMethod(), requestId);
        String reason = refusal == null ? "" : refusal.reason();
        log.status(status).addResponseBodyBytes(ErrorResponses.body(status, reason).length);
        if (refusal != null) {
            log.refusal(refusal);
        }
        ErrorResponses.write(response, Callback.from(() -> {
            log.end(routing.listeners());
            routing.release();
            callback.succeeded();
        }, failure -> {
            log.end(routing.listeners());
            routing.release();
            callback.failed(failure);
        }), status, routing.emitsRequestId() ? requestId : "", reason);
        return true;
    }

}
