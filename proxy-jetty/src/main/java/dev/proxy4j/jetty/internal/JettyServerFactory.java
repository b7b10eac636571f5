package dev.proxy4j.jetty.internal;

import dev.proxy4j.ratelimit.ConnectionCounts;
import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.tls.ClientHello;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import dev.proxy4j.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Binds a {@link ProxyConfig} to a Jetty {@link Server}: connectors, the handler, the upstream clients.
 *
 * <p>Each listener runs one event loop per available processor ({@link LoopConnector}); each loop
 * has its own client per upstream, whose connections it carries, so that a request, its backend
 * exchange and its response stay on one thread.
 */
public final class JettyServerFactory {

    private static final int RESPONSE_HEADER_BYTES = 32 * 1024;

    private JettyServerFactory() {
    }

    /** A Jetty server for {@code config}, and its handler, through which the proxy is reconfigured. */
    public static final class Built {
        private final Server server;
        private final ForwardingHandler handler;
        private final UpstreamPools pools;
        private final LiveStatus status;
        private final List<CertificateWatcher> certificates;

        private Built(Server server, ForwardingHandler handler, UpstreamPools pools, LiveStatus status,
                List<CertificateWatcher> certificates) {
            this.server = server;
            this.handler = handler;
            this.pools = pools;
            this.status = status;
            this.certificates = List.copyOf(certificates);
        }

        /**
         * Loads every TLS listener's certificate files again, on the calling thread; a listener whose
         * files cannot be loaded keeps its certificates (logged at WARN) and the others are reloaded.
         *
         * @return how many TLS listeners were reloaded
         * @throws IllegalArgumentException with the first failure's reason, naming the file; later
         *     ones are suppressed on it
         */
        public int reloadCertificates() {
            IllegalArgumentException failure = null;
            int reloaded = 0;
            for (CertificateWatcher watcher : certificates) {
                try {
                    watcher.reloadNow();
                    reloaded++;
                } catch (IllegalArgumentException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return reloaded;
        }

        /** How many TLS listeners have certificates to reload. */
        public int certificateListeners() {
            return certificates.size();
        }

        /** The live view of the proxy: readiness, in-flight requests, upstreams. */
        public dev.proxy4j.admin.ProxyStatus status() {
            return status;
        }

        /** From now on {@code /ready} says ready. */
        public void ready() {
            status.ready();
        }

        /**
         * From now on {@code /ready} says draining (503); open tunnels (WebSocket, TCP) are closed at
         * once, since they would otherwise hold the stop for the whole drain timeout.
         */
        public void draining() {
            status.draining();
            status.closeTunnels();
        }

        public Server server() {
            return server;
        }

        /** Swaps in the changeable parts of {@code next}; see {@code ProxyServer.reconfigure}. */
        public void reconfigure(ProxyConfig next) {
            handler.reconfigure(next);
        }

        /** The configuration requests arriving now get. */
        public ProxyConfig config() {
            return handler.config();
        }

        /** How many upstream connection pools are open. */
        int pools() {
            return pools.size();
        }
    }

    public static Built create(ProxyConfig config) {
        return create(config, null);
    }

    /** With {@code buffers} as the server's buffer pool (a leak-tracking one in tests), or Jetty's default for null. */
    static Built create(ProxyConfig config, @org.jspecify.annotations.Nullable ByteBufferPool bufferPool) {
        QueuedThreadPool threads = new LoopThreadPool();
        Scheduler scheduler = new ScheduledExecutorScheduler("proxy4j-scheduler", false);
        // Jetty's pool, with a few buffers per event loop in front (LoopBufferPool); a pool the caller
        // gives (a leak-tracking one in tests) is used as it is.
        Server server = new Server(threads, scheduler,
                bufferPool != null ? bufferPool : new LoopBufferPool(new org.eclipse.jetty.io.ArrayByteBufferPool()));
        ByteBufferPool buffers = server.getByteBufferPool();

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(config.limits().maxRequestHeaderBytes());
        http.setResponseHeaderSize(RESPONSE_HEADER_BYTES);
        // Ambiguous paths (%2F, %5C, %2e, //, %25) reach the handler, which normalises or refuses them
        // with a reason (PathNormalizer); the rest of RFC 3986 is Jetty's to enforce.
        http.setUriCompliance(UriCompliance.DEFAULT.with("proxy4j", UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));

        int loopsPerListener = config.eventLoops(Runtime.getRuntime().availableProcessors());
        List<LoopConnector> loops = new ArrayList<>();
        int firstLoop = 0;
        // The handler is made once the connectors are: until then, what its configuration will be.
        AtomicReference<ForwardingHandler> handlerOnceMade = new AtomicReference<>();
        Supplier<ProxyConfig> inForce = () -> {
            ForwardingHandler made = handlerOnceMade.get();
            return made == null ? config : made.config();
        };
        Supplier<List<dev.proxy4j.log.RequestLogListener>> listenersInForce = () -> {
            ForwardingHandler made = handlerOnceMade.get();
            return made == null ? config.requestLogListeners() : made.listeners();
        };
        OpenTunnels openTunnels = new OpenTunnels();
        List<Map.Entry<SniPassthrough, LoopConnector>> passthroughs = new ArrayList<>();
        ConnectionCounts connectionCounts = new ConnectionCounts(() -> inForce.get().connectionLimits());
        List<CertificateWatcher> certificates = new ArrayList<>();
        for (int index = 0; index < config.listeners().size(); index++) {
            Listener listener = config.listeners().get(index);
            List<SslContextFactory.Server> ssl = new ArrayList<>(1);
            ConnectionFactory[] factories = listener.tls()
                    .map(tls -> tlsFactories(http, tls, ssl))
                    .orElseGet(() -> new ConnectionFactory[] {
                        new BodyLimitHttpConnectionFactory(http, true),
                        extendedConnect(new PriorKnowledgeH2c(http, config.hygiene().h2cUpgrade()))});
            SniPassthrough passthrough = null;
            if (!listener.sniPassthrough().isEmpty()) {
                passthrough = new SniPassthrough(inForce, listenersInForce, index, scheduler, threads, openTunnels);
                DetectorConnectionFactory detector = new DetectorConnectionFactory(passthrough);
                // Room for a whole ClientHello, however large: detection is bounded by it.
                detector.setInputBufferSize(ClientHello.MAX_BYTES);
                ConnectionFactory[] withDetector = new ConnectionFactory[factories.length + 1];
                withDetector[0] = detector;
                System.arraycopy(factories, 0, withDetector, 1, factories.length);
                factories = withDetector;
            }
            if (!listener.proxyProtocolFrom().isEmpty()) {
                ConnectionFactory[] proxy = TrustedProxyProtocol.factories(listener.proxyProtocolFrom(),
                        factories[0].getProtocol());
                ConnectionFactory[] withProxy = new ConnectionFactory[factories.length + proxy.length];
                System.arraycopy(proxy, 0, withProxy, 0, proxy.length);
                System.arraycopy(factories, 0, withProxy, proxy.length, factories.length);
                factories = withProxy;
            }
            LoopConnector connector = new LoopConnector(server, firstLoop, loopsPerListener, factories);
            connector.limitConnections(connectionCounts);
            firstLoop += connector.loops();
            loops.add(connector);
            connector.setHost(listener.host());
            connector.setPort(listener.port());
            connector.setIdleTimeout(config.clientIdleTimeout().toMillis());
            server.addConnector(connector);
            for (SslContextFactory.Server factory : ssl) {
                CertificateWatcher watcher = new CertificateWatcher(listener.host(), connector::getLocalPort,
                        listener.tls().orElseThrow(), factory, scheduler, threads);
                certificates.add(watcher);
                server.addBean(watcher);
            }
            if (passthrough != null) {
                passthroughs.add(Map.entry(passthrough, connector));
            }
        }
        for (Map.Entry<SniPassthrough, LoopConnector> passthrough : passthroughs) {
            passthrough.getKey().bind(passthrough.getValue(), tunnelClients(server, passthrough.getValue(),
                    Upstream.DEFAULT_CONNECT_TIMEOUT, TcpListener.DEFAULT_IDLE_TIMEOUT, threads, scheduler, buffers));
        }

        List<JettyEventLoop> eventLoops = new ArrayList<>();
        for (LoopConnector connector : loops) {
            for (int i = 0; i < connector.loops(); i++) {
                eventLoops.add(new JettyEventLoop(connector, i, scheduler));
            }
        }
        UpstreamPools pools = new UpstreamPools(threads, scheduler, buffers, loops,
                config.limits().maxRequestHeaderBytes(), RESPONSE_HEADER_BYTES, openTunnels, config.metrics().orElse(null));
        ForwardingHandler handler = new ForwardingHandler(config, pools,
                new HealthChecks(threads, scheduler, buffers), new DnsRefreshes(scheduler, threads), eventLoops, threads,
                new Encoders(buffers));
        handlerOnceMade.set(handler);
        for (int i = 0; i < config.tcpListeners().size(); i++) {
            firstLoop += tcpListener(server, config, i, firstLoop, loopsPerListener, handler, scheduler, threads, buffers,
                    connectionCounts, openTunnels);
        }
        GracefulHandler graceful = new GracefulHandler(handler);
        server.setHandler(graceful);
        server.setErrorHandler(new ErrorResponses(handler::listeners, handler::emitsRequestId));
        server.setStopTimeout(config.drainTimeout().toMillis());
        return new Built(server, handler, pools, new LiveStatus(handler, graceful, pools, openTunnels),
                certificates);
    }

    /**
     * A TCP listener: its own loops, and a client connector per loop so that each backend
     * connection is carried by the loop of its client's. Returns the loops it took.
     */
    private static int tcpListener(Server server, ProxyConfig config, int index, int firstLoop, int loops,
            ForwardingHandler handler, Scheduler scheduler, QueuedThreadPool threads, ByteBufferPool buffers,
            ConnectionCounts connectionCounts, OpenTunnels openTunnels) {
        TcpListener listener = config.tcpListeners().get(index);
        TcpForwarding forwarding = new TcpForwarding(index, handler::config, handler::listeners, scheduler, threads, openTunnels);
        LoopConnector connector = new LoopConnector(server, firstLoop, loops, forwarding);
        connector.limitConnections(connectionCounts);
        connector.setHost(listener.host());
        connector.setPort(listener.port());
        connector.setIdleTimeout(listener.idleTimeout().toMillis());
        forwarding.bind(connector, tunnelClients(server, connector, listener.upstream().connectTimeout(),
                listener.idleTimeout(), threads, scheduler, buffers));
        server.addConnector(connector);
        return connector.loops();
    }

    /** A client connector per loop of {@code connector}, for the backend ends of its tunnels. */
    private static LoopClientConnector[] tunnelClients(Server server, LoopConnector connector, Duration connectTimeout,
            Duration idleTimeout, QueuedThreadPool threads, Scheduler scheduler, ByteBufferPool buffers) {
        LoopClientConnector[] clients = new LoopClientConnector[connector.loops()];
        for (int i = 0; i < clients.length; i++) {
            LoopClientConnector client = new LoopClientConnector(connector, i, "tcp", null);
            client.setExecutor(threads);
            client.setScheduler(scheduler);
            client.setByteBufferPool(buffers);
            client.setConnectTimeout(connectTimeout);
            client.setIdleTimeout(idleTimeout);
            clients[i] = client;
            server.addBean(client);
        }
        return clients;
    }

    /**
     * HTTP/2 clients are offered WebSocket tunnels (RFC 8441's extended CONNECT,
     * {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} = 1): the stream carries the tunnel's raw bytes.
     */
    static final boolean EXTENDED_CONNECT = true;

    private static <F extends org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory> F extendedConnect(F factory) {
        factory.setConnectProtocolEnabled(EXTENDED_CONNECT);
        withoutAltSvc(factory.getHttpConfiguration());
        return factory;
    }

    /**
     * Takes out the customizer Jetty's HTTP/2 connection factories add to their configuration,
     * one per factory made (so one more per listener on a shared configuration): on every HTTP/2
     * request it copies the server's connectors and their protocols looking for an HTTP/3 one to
     * name in an Alt-Svc header. The proxy has no HTTP/3 listener, so it never names one.
     */
    static void withoutAltSvc(HttpConfiguration configuration) {
        for (HttpConfiguration.Customizer customizer : List.copyOf(configuration.getCustomizers())) {
            if (customizer instanceof HTTP2ServerConnectionFactory.AltSvcCustomizer) {
                configuration.removeCustomizer(customizer);
            }
        }
    }

    private static ConnectionFactory[] tlsFactories(HttpConfiguration plain, TlsConfig tls,
            List<SslContextFactory.Server> made) {
        HttpConfiguration https = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Several certificates are chosen by SNI; a client asking for an unknown name gets the first one.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.keyPassword()));
        ssl.setKeyManagerPassword(new String(tls.keyPassword()));
        ssl.setIncludeProtocols(TlsConfig.PROTOCOLS.toArray(new String[0]));
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ssl.setSniRequired(false);
        made.add(ssl);

        HttpConnectionFactory http1 = new BodyLimitHttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = extendedConnect(new HTTP2ServerConnectionFactory(https));
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
        return new ConnectionFactory[] {tlsFactory, alpn, http2, http1};
    }
}
