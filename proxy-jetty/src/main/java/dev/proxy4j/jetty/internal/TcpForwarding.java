package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.log.RequestLogListener;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamFailure;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener's connections: each accepted one gets an endpoint of the listener's upstream
 * (its balancer choosing, its retry policy deciding whether a refused connect tries another), a
 * connection to it on the same event loop, and a {@link Tunnel} between the two. When the tunnel
 * closes, the endpoint's selection completes and the access log gets one line: method {@code TCP},
 * bytes each way, the endpoint tried.
 */
final class TcpForwarding extends AbstractConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TcpForwarding.class);

    private final int index;
    private final Supplier<ProxyConfig> config;
    private final Supplier<List<RequestLogListener>> listeners;
    private final OpenTunnels openTunnels;
    private final Scheduler scheduler;
    private final Executor blocking;
    private volatile LoopClientConnector[] connectors = new LoopClientConnector[0];
    private volatile LoopConnector loops;

    /** For {@code tcpListeners().get(index)} of the configuration in force when a connection arrives. */
    TcpForwarding(int index, Supplier<ProxyConfig> config, Supplier<List<RequestLogListener>> listeners,
            Scheduler scheduler, Executor blocking, OpenTunnels openTunnels) {
        super("tcp");
        this.openTunnels = openTunnels;
        this.index = index;
        this.config = config;
        this.listeners = listeners;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    /** The listener's connector, and a client connector per loop of it for the backend connections. */
    void bind(LoopConnector loops, LoopClientConnector[] connectors) {
        this.loops = loops;
        this.connectors = connectors.clone();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        ProxyConfig current = config.get();
        TcpListener listener = current.tcpListeners().get(index);
        int loop = endPoint instanceof LoopConnector.LoopEndPoint pinned ? pinned.loop() - loops.firstLoop() : 0;
        Tunnel tunnel = new Tunnel(connector.getByteBufferPool(), connector.getExecutor(), listener.idleTimeout())
                .countIn(openTunnels);
        AbstractConnection client = tunnel.clientSide(endPoint);
        // The listener's setting, else its upstream's (Upstream.Builder.proxyProtocol, as for HTTP).
        sendProxyHeader(tunnel, endPoint, listener.proxyProtocol().or(() -> listener.upstream().proxyProtocol()));
        int pinned = Math.max(0, Math.min(loop, connectors.length - 1));
        new Session(current, listeners.get(), listener.upstream(), listener.host() + ":" + listener.port(), tunnel, endPoint,
                new JettyEventLoop(loops, pinned, scheduler), connectors[pinned], blocking, listener.access()).start();
        return configure(client, connector, endPoint);
    }

    /** Has the tunnel send the backend a PROXY header for the client connection {@code endPoint} first, when asked. */
    static void sendProxyHeader(Tunnel tunnel, EndPoint endPoint, Optional<ProxyProtocol> version) {
        version.ifPresent(v -> {
            if (endPoint.getRemoteSocketAddress() instanceof InetSocketAddress from
                    && endPoint.getLocalSocketAddress() instanceof InetSocketAddress to) {
                tunnel.sendToBackendFirst(ByteBuffer.wrap(v.header(from, to)));
            }
        });
    }

    /** One client connection's way to a backend: also SNI passthrough's. */
    static final class Session {
        private final ProxyConfig config;
        private final List<RequestLogListener> listeners;
        private final Upstream upstream;
        private final Tunnel tunnel;
        private final LoopClientConnector connector;
        private final EndPoint clientEndPoint;
        private final RequestContext ctx;
        private final ProxyRequest request;
        private final RequestLogBuilder log;
        private final Set<Endpoint> tried = new HashSet<>(2);
        private final Optional<IpAccess> access;
        /** Attempts made: a retry may go to an endpoint tried already, so the set does not count them. */
        private int attempts;

        /** {@code authority}: what the client reached, for the balancer's request; {@code connector} carries the backend side. */
        Session(ProxyConfig config, List<RequestLogListener> listeners, Upstream upstream, String authority, Tunnel tunnel, EndPoint client,
                JettyEventLoop loop, LoopClientConnector connector, Executor blocking, Optional<IpAccess> access) {
            this.config = config;
            this.access = access;
            this.listeners = listeners;
            this.upstream = upstream;
            this.tunnel = tunnel;
            this.connector = connector;
            this.clientEndPoint = client;
            String peer = address(client.getRemoteSocketAddress());
            this.log = new RequestLogBuilder("", peer, "TCP", ":" + port(client.getLocalSocketAddress()) + " -> "
                    + upstream.name(), "TCP", System.currentTimeMillis(), Ticker.system(), System.nanoTime())
                    .upstream(upstream.name());
            this.request = ProxyRequest.builder().method("TCP").scheme("tcp").authority(authority).protocol("TCP")
                    .peerAddress(peer).build();
            this.ctx = RequestContext.builder()
                    .peerAddress(peer)
                    .clientAddress(peer)
                    .eventLoop(loop)
                    .blockingExecutor(blocking)
                    .ticker(Ticker.system())
                    .clock(Clock.systemUTC())
                    .log(log)
                    .build();
        }

        void start() {
            if (!allowed(log.clientAddress())) {
                // nginx's stream module logs an access denial as 403: the line says why the connection closed at once.
                log.status(403);
                tunnel.refuse(new java.io.IOException("the client's address is denied"));
                log.end(listeners);
                return;
            }
            Optional<Selection> first;
            try {
                first = upstream.select(ctx, request, tried);
            } catch (RuntimeException e) {
                LOG.error("selecting an endpoint of {} failed", upstream.name(), e);
                refuse(UpstreamFailure.Kind.OTHER, e);
                return;
            }
            if (first.isEmpty()) {
                refuse(UpstreamFailure.Kind.NO_ENDPOINT, null);
                return;
            }
            connect(first.get());
        }

        /** The server-wide allow/deny (the {@link IpAccess} filters), then the listener's own. */
        private boolean allowed(String client) {
            for (dev.proxy4j.filter.ProxyFilter filter : config.filters()) {
                if (filter instanceof IpAccess rules && !rules.allows(client)) {
                    return false;
                }
            }
            return access.map(rules -> rules.allows(client)).orElse(true);
        }

        private void connect(Selection selection) {
            Endpoint endpoint = selection.endpoint();
            tried.add(endpoint);
            attempts++;
            Map<String, Object> context = new HashMap<>();
            context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
            context.put(ClientConnectionFactory.CONTEXT_KEY, (ClientConnectionFactory) (endPoint, ignored) -> {
                // The endpoint takes connections: its run of refused connects ends (passive health).
                selection.connected();
                return tunnel.backendSide(endPoint);
            });
            context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<Connection>() {
                @Override
                public void failed(Throwable failure) {
                    onConnectFailed(selection, failure);
                }
            });
            tunnel.onEnd(ended -> onEnd(selection, ended));
            java.net.InetAddress resolved = endpoint.address();
            connector.connect(resolved != null ? new InetSocketAddress(resolved, endpoint.port())
                    : new InetSocketAddress(endpoint.host(), endpoint.port()), context);
        }

        private void onConnectFailed(Selection selection, Throwable failure) {
            long took = selection.elapsedNanos();
            UpstreamFailure.Kind kind = Failures.classify(failure, false).kind();
            log.attempt(new Attempt(selection.endpoint(), 0, kind, took));
            Outcome outcome = Outcome.failure(kind, took);
            selection.complete(outcome);
            Optional<Selection> next = Optional.empty();
            try {
                next = upstream.retry(ctx, request, tried, attempts, outcome, false);
            } catch (RuntimeException e) {
                LOG.error("retrying on {} failed", upstream.name(), e);
            }
            if (next.isPresent()) {
                // The HTTP retries' rule: the first retry to an endpoint not tried yet at once, any other after the backoff.
                Duration delay = upstream.retryPolicy().delay(attempts, next.get().isToUntriedEndpoint(), null,
                        ctx.clock(), ThreadLocalRandom.current().nextDouble()).orElseThrow();
                connectAfter(next.get(), delay, kind, failure);
                return;
            }
            LOG.warn("upstream {} unreachable for a TCP connection from {}: {}", upstream.name(), log.clientAddress(),
                    kind);
            refuse(kind, failure);
        }

        /**
         * Connects to {@code next} after {@code delay}, on the connection's loop (no thread waits);
         * if the client left meanwhile, the retry is given up. A retry waiting holds its place in
         * the retry budget, as an HTTP one does.
         */
        private void connectAfter(Selection next, Duration delay, UpstreamFailure.Kind kind, Throwable failure) {
            if (delay.isZero()) {
                connect(next);
                return;
            }
            try {
                ctx.eventLoop().schedule(delay, () -> {
                    if (clientEndPoint.isOpen()) {
                        connect(next);
                        return;
                    }
                    next.complete(Outcome.abandoned(0));
                    refuse(kind, failure);
                });
            } catch (RuntimeException stopping) {
                next.complete(Outcome.abandoned(0));
                refuse(kind, failure);
            }
        }

        /** No backend: the client's connection is closed at once, and logged. */
        private void refuse(UpstreamFailure.Kind kind, Throwable cause) {
            log.failure(kind);
            tunnel.refuse(cause == null ? new UpstreamFailure(kind, "no backend for the connection") : cause);
            log.end(listeners);
        }

        private void onEnd(Selection selection, Tunnel ended) {
            if (selection.isComplete()) {
                return;
            }
            long took = selection.elapsedNanos();
            log.attempt(new Attempt(selection.endpoint(), 0, null, took));
            log.addRequestBodyBytes(ended.bytesFromClient()).addResponseBodyBytes(ended.bytesFromBackend());
            // A TCP connection has no status to judge the endpoint by: it counts neither way.
            selection.complete(Outcome.abandoned(took));
            log.end(listeners);
        }
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static int port(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }
}
