package dev.proxy4j.jetty.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.ComplianceViolation;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Components;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.StringUtil;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain HTTP/1.1 client connection that serves its plainest requests itself: a keep-alive GET or
 * HEAD with no body, in origin form, one Host, no Expect, no Upgrade, whose head came in whole and
 * parsed without a compliance violation. That is what almost every request of a browser, a
 * crawler or a load generator is. Its head is parsed by Jetty's own {@link HttpParser} (so what is
 * refused is what Jetty refuses), the request goes through the server's handlers as a
 * {@link LeanExchange}, and the response is framed by Jetty's own {@link org.eclipse.jetty.http.HttpGenerator}
 * ({@link LeanResponse}); what it skips is Jetty's per-request machinery around them (the
 * channel's state, its locks and invokers, the stream's callbacks), which cost about as much user
 * time as the whole backend leg.
 *
 * <p>Anything else hands the connection to Jetty's {@code HttpConnection} with the bytes read so
 * far, from the start of that request, as an upgrade would, so that Jetty does all it does: a body,
 * {@code Expect: 100-continue}, an {@code Upgrade} (WebSocket, h2c), the HTTP/2 preface, HTTP/1.0,
 * a head split over reads, a malformed head (Jetty's 400, 414, 431), an absolute-form target. The
 * connection stays Jetty's from then on.
 *
 * <p>It runs on its event loop: reads, parsing and the handler's call; a request completed from
 * another thread resumes the connection on the loop. {@code -Dproxy4j.leanHttp11Server=false}
 * leaves every connection to Jetty.
 */
final class LeanHttp11Server extends AbstractConnection.NonBlocking
        implements Connection.UpgradeFrom, Connection.UpgradeTo, HttpParser.RequestHandler, ConnectionMetaData,
        Components {

    private static final Logger LOG = LoggerFactory.getLogger(LeanHttp11Server.class);

    /** Whether plain HTTP/1.1 listeners serve their plainest requests themselves; tests flip it. */
    static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("proxy4j.leanHttp11Server", "true"));

    private final BodyLimitHttpConnectionFactory factory;
    private final LoopConnector connector;
    private final int loop;
    private final HttpConfiguration http;
    private final Server server;
    private final ByteBufferPool buffers;
    private final HttpParser parser;
    final org.eclipse.jetty.http.HttpGenerator generator = new org.eclipse.jetty.http.HttpGenerator();
    private final Attributes.Lazy attributes = new Attributes.Lazy();
    private final Attributes.Lazy cache = new Attributes.Lazy();

    private @Nullable RetainableByteBuffer input;
    /** True from the handler's call until it returns: a request completed meanwhile resumes the loop in {@link #onFillable}. */
    private boolean inHandler;
    /** The request being served, until its response is complete; read by the scheduler's idle timeout. */
    private volatile @Nullable LeanExchange exchange;
    private long requests;

    // The request being parsed.
    private @Nullable String method;
    private @Nullable String target;
    private @Nullable HttpVersion version;
    private HttpFields.Mutable fields = HttpFields.build();
    private @Nullable HostPortHttpField host;
    private int hosts;
    private boolean close;
    /** The request must go to Jetty: it has something this connection does not serve. */
    private boolean unusual;

    LeanHttp11Server(BodyLimitHttpConnectionFactory factory, HttpConfiguration http, LoopConnector connector,
            LoopConnector.LoopEndPoint endPoint) {
        super(endPoint, connector.getExecutor());
        this.factory = factory;
        this.connector = connector;
        this.loop = endPoint.loop() - connector.firstLoop();
        this.http = http;
        this.server = connector.getServer();
        this.buffers = connector.getByteBufferPool();
        this.parser = new HttpParser(this, http.getRequestHeaderSize(), http.getHttpCompliance());
        parser.setHeaderCacheSize(http.getHeaderCacheSize());
        parser.setHeaderCacheCaseSensitive(http.isHeaderCacheCaseSensitive());
    }

    /** Whether a connection of {@code connector} on {@code endPoint} can start as a lean one. */
    static boolean serves(Connector connector, Object endPoint, HttpConfiguration http) {
        return enabled && connector instanceof LoopConnector && endPoint instanceof LoopConnector.LoopEndPoint
                && http.getCustomizers().isEmpty()
                && connector.getServer().getInvocationType() == Invocable.InvocationType.NON_BLOCKING;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        if (input != null && input.hasRemaining()) {
            onFillable();
        } else {
            fillInterested();
        }
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // Bytes another connection read before it handed over (a protocol detector's).
        if (input == null) {
            input = buffers.acquire(getInputBufferSize(), http.isUseInputDirectByteBuffers());
        }
        BufferUtil.append(input.getByteBuffer(), buffer);
    }

    /**
     * The bytes of the request being read, from its first, for Jetty's connection taking over. They
     * fit its request buffer: it takes one of the same size from the same pool.
     */
    @Override
    public @Nullable ByteBuffer onUpgradeFrom() {
        RetainableByteBuffer held = input;
        input = null;
        if (held == null) {
            return null;
        }
        ByteBuffer unconsumed = null;
        if (held.hasRemaining()) {
            unconsumed = ByteBuffer.allocate(held.remaining());
            unconsumed.put(held.getByteBuffer()).flip();
        }
        held.release();
        return unconsumed;
    }

    @Override
    public void onFillable() {
        try {
            while (exchange == null) {
                if (!getEndPoint().isOpen()) {
                    // The last response ended the connection.
                    releaseInput();
                    return;
                }
                if (input == null) {
                    input = buffers.acquire(getInputBufferSize(), http.isUseInputDirectByteBuffers());
                }
                ByteBuffer in = input.getByteBuffer();
                if (!in.hasRemaining()) {
                    BufferUtil.clear(in);
                    int filled = getEndPoint().fill(in);
                    if (filled == 0) {
                        releaseInput();
                        fillInterested();
                        return;
                    }
                    if (filled < 0) {
                        releaseInput();
                        getEndPoint().shutdownOutput();
                        getEndPoint().close();
                        return;
                    }
                }
                int start = in.position();
                int end = in.limit();
                begin();
                boolean complete = parser.parseNext(in);
                HttpURI.Mutable uri = unusual || !complete || !parser.isComplete() ? null : plain();
                if (uri == null) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("{} hands {} {} {} to Jetty: unusual={} complete={}/{}", this,
                                method, target, version, unusual, complete, parser.isComplete());
                    }
                    // The parser empties the buffer when it finds the head malformed; the bytes are still there.
                    in.limit(end).position(start);
                    toJetty();
                    return;
                }
                if (!in.hasRemaining()) {
                    // Nothing pipelined behind it: the buffer is not held while the request is served.
                    releaseInput();
                }
                serve(uri);
            }
        } catch (Throwable x) {
            LOG.debug("lean HTTP/1.1 connection failed {}", this, x);
            releaseInput();
            getEndPoint().close(x);
        }
    }

    /** Hands the connection to Jetty's, with the bytes of the request it has begun. */
    private void toJetty() {
        parser.close();
        getEndPoint().upgrade(factory.jettyConnection(connector, getEndPoint()));
    }

    private void begin() {
        method = null;
        target = null;
        version = null;
        fields = HttpFields.build();
        host = null;
        hosts = 0;
        close = false;
        unusual = false;
    }

    /**
     * After the parse: the target of a request this connection serves, with the scheme and the
     * authority Jetty would give it; null for one that goes to Jetty.
     */
    private HttpURI.@Nullable Mutable plain() {
        HostPortHttpField hostField = host;
        String origin = target;
        if (version != HttpVersion.HTTP_1_1 || hosts != 1 || hostField == null || origin == null || origin.isEmpty()
                || origin.charAt(0) != '/' || !(HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method))
                || parser.getContentLength() > 0 || parser.isChunking()
                || !http.isPersistentConnectionsEnabled()) {
            return null;
        }
        HostPort hostPort = hostField.getHostPort();
        if (StringUtil.isBlank(hostPort.getHost())) {
            return null;
        }
        HttpURI.Mutable uri;
        try {
            uri = HttpURI.build(method, origin);
        } catch (IllegalArgumentException malformed) {
            // A target Jetty cannot parse (a bad %-escape, a dot segment above the root): its 400.
            return null;
        }
        if (uri.hasViolations()) {
            // Jetty judges them against the listener's URI compliance: its checks, its 400.
            return null;
        }
        int port = hostPort.getPort();
        return uri.scheme(HttpScheme.HTTP)
                .authority(hostPort.getHost(), port == URIUtil.getDefaultPortForScheme("http") ? -1 : port);
    }

    private void serve(HttpURI.Mutable uri) {
        requests++;
        generator.reset();
        generator.setPersistent(!close);
        LeanExchange served = new LeanExchange(this, Long.toString(requests), method, uri, fields,
                parser.getContentLength(), parser.getBeginNanoTime());
        exchange = served;
        inHandler = true;
        try {
            if (!server.handle(served, served.response(), served)) {
                org.eclipse.jetty.server.Response.writeError(served, served.response(), served, 404);
            }
        } catch (Throwable x) {
            org.eclipse.jetty.server.Response.writeError(served, served.response(), served, x);
        } finally {
            inHandler = false;
        }
    }

    /**
     * The response of {@code served} is complete (or abandoned, {@code keep} false): the connection
     * reads its next request, on its loop.
     */
    void completed(LeanExchange served, boolean keep) {
        if (connector.inLoop(loop)) {
            next(served, keep);
        } else {
            try {
                connector.execute(loop, () -> next(served, keep));
            } catch (IllegalStateException stopped) {
                getEndPoint().close();
            }
        }
    }

    private void next(LeanExchange served, boolean keep) {
        if (exchange != served) {
            return;
        }
        exchange = null;
        parser.reset();
        if (!keep || !generator.isPersistent() || !getEndPoint().isOpen() || connector.isShutdown()) {
            releaseInput();
            getEndPoint().shutdownOutput();
            getEndPoint().close();
            return;
        }
        if (inHandler) {
            // Completed within the handler's call: onFillable's loop reads on.
            return;
        }
        onFillable();
    }

    private void releaseInput() {
        RetainableByteBuffer held = input;
        if (held != null) {
            input = null;
            held.release();
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        LeanExchange served = exchange;
        if (served == null) {
            return true;
        }
        // From the scheduler's thread: the request's listeners hear of it on the loop.
        try {
            connector.execute(loop, () -> served.idleTimeout(timeout));
        } catch (IllegalStateException stopped) {
            return true;
        }
        return false;
    }

    @Override
    public void onClose(@Nullable Throwable cause) {
        super.onClose(cause);
        LeanExchange served = exchange;
        Throwable closed = cause == null ? new EofException("connection closed") : cause;
        if (connector.inLoop(loop)) {
            if (served != null) {
                served.connectionClosed(closed);
            }
            releaseInput();
            return;
        }
        // Closed from another thread (the scheduler's idle check, the server's stop): the request and
        // the buffer are the loop's. A loop that has stopped runs no more tasks; the buffer then goes
        // with the garbage.
        try {
            connector.execute(loop, () -> {
                if (served != null) {
                    served.connectionClosed(closed);
                }
                releaseInput();
            });
        } catch (IllegalStateException notStarted) {
            LOG.debug("{} closed with its loop not running", this);
        }
    }

    ByteBufferPool buffers() {
        return buffers;
    }

    HttpConfiguration http() {
        return http;
    }

    boolean shutdown() {
        return connector.isShutdown();
    }

    // HttpParser.RequestHandler

    @Override
    public void messageBegin() {
    }

    @Override
    public void startRequest(String method, String uri, HttpVersion version) {
        this.method = method;
        this.target = uri;
        this.version = version;
    }

    @Override
    public void parsedHeader(HttpField field) {
        HttpHeader header = field.getHeader();
        if (header != null) {
            switch (header) {
                case HOST -> {
                    hosts++;
                    try {
                        host = field instanceof HostPortHttpField hostPort ? hostPort
                                : new HostPortHttpField(field.getValue() == null ? "" : field.getValue());
                    } catch (RuntimeException bad) {
                        unusual = true;
                    }
                    field = host == null ? field : host;
                }
                case CONNECTION -> {
                    close |= field.contains(HttpHeaderValue.CLOSE.asString());
                    unusual |= field.contains(HttpHeaderValue.UPGRADE.asString());
                }
                case EXPECT, UPGRADE, TRANSFER_ENCODING, HTTP2_SETTINGS -> unusual = true;
                default -> {
                }
            }
        }
        fields.add(field);
    }

    /** The parse goes on to the message's end: a request is served once it is all there. */
    @Override
    public boolean headerComplete() {
        return false;
    }

    @Override
    public boolean content(ByteBuffer item) {
        unusual = true;
        return true;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public boolean messageComplete() {
        return true;
    }

    @Override
    public void parsedTrailer(HttpField field) {
        unusual = true;
    }

    @Override
    public void badMessage(HttpException failure) {
        unusual = true;
    }

    @Override
    public void earlyEOF() {
        unusual = true;
    }

    @Override
    public void onViolation(ComplianceViolation.Event event) {
        LOG.debug("{}: {}", this, event);
        unusual = true;
    }

    // ConnectionMetaData

    @Override
    public String getId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public HttpConfiguration getHttpConfiguration() {
        return http;
    }

    @Override
    public HttpVersion getHttpVersion() {
        return HttpVersion.HTTP_1_1;
    }

    @Override
    public String getProtocol() {
        return HttpVersion.HTTP_1_1.asString();
    }

    @Override
    public Connection getConnection() {
        return this;
    }

    @Override
    public Connector getConnector() {
        return connector;
    }

    @Override
    public boolean isPersistent() {
        return generator.isPersistent();
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return getEndPoint().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return getEndPoint().getLocalSocketAddress();
    }

    @Override
    public @Nullable Object removeAttribute(String name) {
        return attributes.removeAttribute(name);
    }

    @Override
    public @Nullable Object setAttribute(String name, Object attribute) {
        return attributes.setAttribute(name, attribute);
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return attributes.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet() {
        return attributes.getAttributeNameSet();
    }

    // Components

    @Override
    public ByteBufferPool getByteBufferPool() {
        return buffers;
    }

    @Override
    public java.util.concurrent.Executor getExecutor() {
        return super.getExecutor();
    }

    @Override
    public Scheduler getScheduler() {
        return connector.getScheduler();
    }

    @Override
    public ThreadPool getThreadPool() {
        return server.getThreadPool();
    }

    @Override
    public Attributes getCache() {
        return cache;
    }

    Server server() {
        return server;
    }
}
