package dev.proxy4j.server;

import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.admin.ConfigSource;
import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.jetty.internal.AdminServer;
import dev.proxy4j.jetty.internal.JettyServerFactory;
import dev.proxy4j.log.AccessLogFormat;
import dev.proxy4j.metrics.ProxyMetrics;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A running (or ready to run) reverse proxy.
 *
 * <pre>{@code
 * ProxyServer proxy = ProxyServer.builder()
 *     .listen(8080)
 *     .route(r -> r.pathPrefix("/api").upstream("http://127.0.0.1:9000"))
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>{@link #stop()} is graceful: the proxy stops accepting connections, lets in-flight requests
 * finish for up to the drain timeout, then closes. Start and stop each log one line (logger
 * {@code dev.proxy4j.server.ProxyServer}, INFO). A {@code main} that only runs the proxy ends with
 * {@code proxy.stopOnShutdown().awaitStop()}.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final JettyServerFactory.Built built;
    private final Server server;
    private final @Nullable AdminServer admin;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile @Nullable ConfigSource source;
    private @Nullable Thread shutdownHook;
    private boolean stopping;

    private ProxyServer(ProxyConfig config) {
        this.built = JettyServerFactory.create(config);
        this.server = built.server();
        this.admin = config.admin().map(a -> new AdminServer(a, built.status(), config.metrics(),
                () -> Optional.ofNullable(source).map(s -> (AdminServer.Reload) this::reload),
                new AdminServer.Certificates() {
                    @Override
                    public int listeners() {
                        return built.certificateListeners();
                    }

                    @Override
                    public int reload() {
                        return built.reloadCertificates();
                    }
                })).orElse(null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server for a configuration built elsewhere. */
    public static ProxyServer of(ProxyConfig config) {
        return new ProxyServer(config);
    }

    /** The configuration in force: the one built with, or the last one {@link #reconfigure(ProxyConfig) swapped in}. */
    public ProxyConfig config() {
        return built.config();
    }

    /**
     * The upstream called {@code name} in the configuration in force, to change its endpoints while
     * the proxy serves, through its live {@link Upstream#group() group}:
     * {@code add} an endpoint (new requests may go to it at once), {@code remove} one (no new
     * request goes to it), or {@code drain} one (no new request goes to it, those in flight finish,
     * then it leaves the group and its idle connections are closed; the stage completes then).
     * Empty when no upstream of the configuration (its routes' or its TCP listeners') has that name;
     * the first when two share it.
     */
    public Optional<Upstream> upstream(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return upstreams().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /**
     * Swaps in {@code next}'s routes, upstreams, filters, forwarding, timeouts, body limit and
     * request log listeners, atomically: requests that arrive afterwards get the new configuration,
     * requests under way finish with the one they began with. Upstream connection pools are kept
     * for upstreams of the same name and connection settings, and retired once the last request of
     * the old configuration that used them is done. The shared cache is kept, with its stored
     * responses, when {@code next}'s has the same settings ({@link ProxyConfig#keepingCacheOf});
     * otherwise {@code next}'s starts empty. Safe to call from any thread, also while serving.
     *
     * @throws IllegalArgumentException when {@code next} differs in a setting fixed at start
     *     (listeners, maxRequestHeaderBytes, h2cUpgrade, clientIdleTimeout, drainTimeout, eventLoops, admin, metrics on
     *     or off; a running proxy keeps the metrics it started with); the running
     *     configuration stays in force
     */
    public ProxyServer reconfigure(ProxyConfig next) {
        java.util.Objects.requireNonNull(next, "next");
        synchronized (built) {
            ProxyConfig running = built.config();
            running.startTimeDifference(next).ifPresent(difference -> {
                throw new IllegalArgumentException(difference + " (expected: the same as at start;"
                        + " only routes, upstreams, filters, forwarding, timeouts and limits on bodies can change)");
            });
            // An unchanged shared cache is kept with what it stores (a new one would start empty).
            built.reconfigure(next.keepingCacheOf(running));
        }
        prefetchKeys(next);
        return this;
    }

    /** Starts fetching the JWK sets of the configuration's JWT filters (asynchronously), so that the first requests find the keys. */
    private static void prefetchKeys(ProxyConfig config) {
        java.util.List<dev.proxy4j.filter.ProxyFilter> filters = new java.util.ArrayList<>(config.filters());
        config.routes().routes().forEach(route -> filters.addAll(route.filters()));
        for (dev.proxy4j.filter.ProxyFilter filter : filters) {
            if (filter instanceof dev.proxy4j.auth.Jwt jwt) {
                jwt.prefetch();
            }
        }
    }

    /**
     * The upstreams of the configuration in force (its routes', then its TCP listeners' and SNI passthrough's), each
     * with its live endpoints: {@code upstream.endpointStatuses()} says which are healthy,
     * ejected, draining and busy, as the active health checks and outlier detection left them.
     */
    public List<Upstream> upstreams() {
        ProxyConfig config = config();
        java.util.Set<Upstream> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Upstream> all = new java.util.ArrayList<>();
        for (Upstream upstream : config.upstreams()) {
            if (seen.add(upstream)) {
                all.add(upstream);
            }
        }
        for (Upstream upstream : config.tcpUpstreams()) {
            if (seen.add(upstream)) {
                all.add(upstream);
            }
        }
        return List.copyOf(all);
    }

    /**
     * Where {@link #reload()} and the admin endpoint's {@code POST /reload} read the configuration
     * from (a config file, typically); without one, a reload is refused.
     */
    public ProxyServer reloadFrom(ConfigSource source) {
        this.source = java.util.Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Reads the configuration again from the {@linkplain #reloadFrom source} and swaps it in with
     * {@link #reconfigure}; when it cannot be read, is invalid or changes a setting fixed at start,
     * the running configuration stays in force and this throws with the reason.
     *
     * @throws IllegalStateException without a source, or when the source fails
     * @throws IllegalArgumentException when the new configuration changes a setting fixed at start
     */
    public ProxyConfig reload() {
        ConfigSource from = source;
        if (from == null) {
            throw new IllegalStateException("reload: no source (expected: reloadFrom(...) before)");
        }
        ProxyConfig next;
        try {
            next = from.load();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        reconfigure(next);
        return config();
    }

    /**
     * Loads every TLS listener's certificate files again now, whether or not they changed (the
     * running proxy also does so by itself when they change, unless {@code TlsConfig.Builder.watch(false)}):
     * handshakes from then on get the new certificates, open connections keep theirs. A listener
     * whose files cannot be loaded keeps the certificates it has, and that is logged at WARN; the
     * other listeners are reloaded. Reads files on the calling thread: never call it from an event loop.
     *
     * @return how many TLS listeners were reloaded
     * @throws IllegalArgumentException naming the file and what is wrong with it (the first such
     *     failure; later ones are suppressed on it)
     */
    public int reloadCertificates() {
        return built.reloadCertificates();
    }

    /** Binds every listener (the admin listener last) and starts serving; logs one line saying what it serves. */
    public ProxyServer start() {
        ProxyConfig config = config();
        config.metrics().ifPresent(metrics -> metrics.bind(built.status()));
        try {
            server.start();
            if (admin != null) {
                admin.start();
            }
        } catch (Exception e) {
            try {
                server.stop();
                if (admin != null) {
                    admin.stop();
                }
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("proxy failed to start: " + startFailure(e), e);
        }
        built.ready();
        prefetchKeys(config);
        LOG.info("proxy4j started: {}", StartLine.describe(config, ports(), admin == null ? -1 : admin.port()));
        return this;
    }

    /** Jetty says "Failed to bind to /0.0.0.0:8080"; the cause says why (the address is in use). */
    private static String startFailure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException bind) {
                String message = String.valueOf(e.getMessage());
                return message + (message.contains(String.valueOf(bind.getMessage())) ? ""
                        : " (" + String.valueOf(bind.getMessage()).toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Stops accepting, waits for in-flight requests up to the drain timeout, then closes; the admin
     * listener answers {@code /ready} with 503 meanwhile and closes last. Logs one line with the
     * requests drained and the time it took. When the drain timeout passes, what is still open is cut
     * and a warning says so; the call still returns normally. A second call does nothing.
     */
    public void stop() {
        synchronized (stopped) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        built.draining();
        long inFlight = built.status().inFlightRequests();
        long began = System.nanoTime();
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // The drain timeout passed: what was still in flight was cut when the connectors closed.
            LOG.warn("proxy4j stop: the drain timeout ({} ms) passed with {} requests or streams still open; they were cut",
                    built.status().config().drainTimeout().toMillis(), built.status().inFlightRequests());
            for (Throwable other : e.getSuppressed()) {
                LOG.warn("proxy4j stop: {}", other.toString(), other);
            }
        } catch (Exception e) {
            throw new IllegalStateException("proxy failed to stop cleanly: " + e, e);
        } finally {
            try {
                if (admin != null) {
                    admin.stop();
                }
            } catch (Exception e) {
                LOG.warn("the admin listener failed to stop cleanly", e);
            }
            long left = built.status().inFlightRequests();
            LOG.info("proxy4j stopped: drained {} of {} requests in flight in {} ms", Math.max(0, inFlight - left),
                    inFlight, (System.nanoTime() - began) / 1_000_000);
            stopped.countDown();
            removeShutdownHook();
        }
    }

    /** Blocks until {@link #stop()} has finished (by another thread, or the shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops the proxy gracefully when the JVM is asked to exit (SIGTERM, Ctrl-C); returns this, so
     * that a {@code main} may end with {@code proxy.start().stopOnShutdown().awaitStop()}.
     */
    public synchronized ProxyServer stopOnShutdown() {
        if (shutdownHook == null && stopped.getCount() > 0) {
            Thread hook = new Thread(this::stop, "proxy4j-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }
        return this;
    }

    private synchronized void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook is running or has run.
            }
        }
        shutdownHook = null;
    }

    /** The live view: readiness, in-flight requests, upstreams and their endpoints and pools. */
    public ProxyStatus status() {
        return built.status();
    }

    /** The bound port of the admin listener. */
    public int adminPort() {
        if (admin == null) {
            throw new IllegalStateException("admin: none (expected: admin(...) on the builder)");
        }
        return admin.port();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The bound port of the first listener. */
    public int port() {
        return ports().get(0);
    }

    /** The bound port of the TCP listener {@code index} (in declaration order). */
    public int tcpPort(int index) {
        return ports().get(config().listeners().size() + index);
    }

    /** The bound ports: the HTTP listeners' in the order declared, then the TCP listeners'. */
    public List<Integer> ports() {
        return server.getBeans(ServerConnector.class).stream().map(ServerConnector::getLocalPort).toList();
    }

    /** {@code http://127.0.0.1:<port>} (or https) of the first listener, for tests and logs. */
    public URI uri() {
        boolean secure = config().listeners().get(0).isSecure();
        return URI.create((secure ? "https" : "http") + "://127.0.0.1:" + port());
    }

    /**
     * Builds a {@link ProxyServer}. Everything is validated in {@link #build()}, and each setter
     * validates its own value at once. It has every setter of {@link ProxyConfig.Builder} (a test
     * holds them together), plus {@code listen} and {@code listenTls} for the usual listeners: the
     * one builder a program needs, where {@code ProxyConfig} is for configurations built elsewhere
     * (a config file, {@link ProxyServer#reconfigure}).
     */
    public static final class Builder {
        private final ProxyConfig.Builder config = ProxyConfig.builder();

        private Builder() {
        }

        /** Listens on every interface on {@code port} (0 for a free port), plain HTTP/1.1 and h2c. */
        public Builder listen(int port) {
            config.listener(Listener.plain(port));
            return this;
        }

        public Builder listen(String host, int port) {
            config.listener(Listener.plain(host, port));
            return this;
        }

        /** Listens with TLS (HTTP/1.1 and h2 by ALPN) on every interface. */
        public Builder listenTls(int port, Consumer<TlsConfig.Builder> tls) {
            return listenTls(Listener.ANY_HOST, port, tls);
        }

        public Builder listenTls(String host, int port, Consumer<TlsConfig.Builder> tls) {
            TlsConfig.Builder builder = TlsConfig.builder();
            tls.accept(builder);
            config.listener(Listener.tls(host, port, builder.build()));
            return this;
        }

        /** Adds a listener built elsewhere (ProxyConfig's). */
        public Builder listener(Listener listener) {
            config.listener(listener);
            return this;
        }

        /** Adds a TCP (layer 4) listener: connections on it go, as raw bytes, to an endpoint of its upstream. */
        public Builder tcp(TcpListener listener) {
            config.tcp(listener);
            return this;
        }

        /** Forwards TCP connections on {@code port} (every interface) to {@code upstream}. */
        public Builder tcp(int port, Upstream upstream) {
            return tcp(TcpListener.of(port, upstream));
        }

        /** Adds a route; the first route whose predicates all hold takes the request. */
        public Builder route(Consumer<Route.Builder> route) {
            config.route(route);
            return this;
        }

        public Builder route(Route route) {
            config.route(route);
            return this;
        }

        /**
         * Adds a server-wide filter: every request passes through it before routing, requests no
         * route takes included, and it sees the path before any rewrite.
         */
        public Builder filter(ProxyFilter filter) {
            config.filter(filter);
            return this;
        }

        /**
         * A shared HTTP cache (RFC 9111) on every route that does not turn it off
         * ({@code Route.Builder.cache(false)}), e.g. {@code .cache(HttpCache.inMemory(64 * 1024 * 1024))}.
         */
        public Builder cache(dev.proxy4j.cache.HttpCache cache) {
            config.cache(cache);
            return this;
        }

        /**
         * Attack-pattern filtering ({@link dev.proxy4j.waf.Waf}) on every route, first of its filters;
         * a route opts out with {@code waf(false)} or takes rules out with {@code wafExclusions(...)}.
         */
        public Builder waf(dev.proxy4j.waf.Waf waf) {
            config.waf(waf);
            return this;
        }

        /**
         * Whether the backend's {@code Server} and {@code X-Powered-By} reach clients; default
         * {@code BackendIdentity.HIDE} (they name software and versions).
         */
        public Builder backendIdentity(dev.proxy4j.config.BackendIdentity backendIdentity) {
            config.backendIdentity(backendIdentity);
            return this;
        }

        /** Trusted proxies and which forwarding headers are emitted. */
        public Builder forwarding(Consumer<ForwardingPolicy.Builder> forwarding) {
            config.forwarding(forwarding);
            return this;
        }

        /** A forwarding policy built elsewhere. */
        public Builder forwarding(ForwardingPolicy forwarding) {
            config.forwarding(forwarding);
            return this;
        }

        /** How long an idle client connection is kept open; default 60 s. */
        public Builder clientIdleTimeout(Duration timeout) {
            config.clientIdleTimeout(timeout);
            return this;
        }

        /** Zero for no limit. Default 60 s, counted from the end of the request. */
        public Builder responseHeadersTimeout(Duration timeout) {
            config.responseHeadersTimeout(timeout);
            return this;
        }

        /** Zero for no limit of the route's own. Default 60 s. */
        public Builder idleTimeout(Duration timeout) {
            config.idleTimeout(timeout);
            return this;
        }

        /** Zero (the default) for no limit. */
        public Builder totalTimeout(Duration timeout) {
            config.totalTimeout(timeout);
            return this;
        }

        public Builder maxRequestHeaderBytes(int bytes) {
            config.maxRequestHeaderBytes(bytes);
            return this;
        }

        public Builder maxRequestBodyBytes(long bytes) {
            config.maxRequestBodyBytes(bytes);
            return this;
        }

        /** Header fields a request may have; default 100, over it 431. */
        public Builder maxRequestHeaderCount(int count) {
            config.maxRequestHeaderCount(count);
            return this;
        }

        /** Open connections one client address may hold over all listeners; default 0, no limit. Over it: closed at accept. */
        public Builder maxConnectionsPerIp(int max) {
            config.maxConnectionsPerIp(max);
            return this;
        }

        /** Open connections each listener accepts in all; default 0, no limit. Over it: closed at accept. */
        public Builder maxConnectionsPerListener(int max) {
            config.maxConnectionsPerListener(max);
            return this;
        }

        /** Forward header fields whose name contains {@code _}; default false: they are dropped, as nginx does. */
        public Builder allowUnderscoresInHeaders(boolean allow) {
            config.allowUnderscoresInHeaders(allow);
            return this;
        }

        /** Every request-hygiene setting at once (see docs/security.md). */
        public Builder hygiene(dev.proxy4j.config.RequestHygiene hygiene) {
            config.hygiene(hygiene);
            return this;
        }

        /** Forward TRACE requests; default false: 405. */
        public Builder allowTrace(boolean allow) {
            config.allowTrace(allow);
            return this;
        }

        /** Honour {@code Upgrade: h2c} on plain listeners; default false: HTTP/2 without TLS by prior knowledge only. */
        public Builder h2cUpgrade(boolean allow) {
            config.h2cUpgrade(allow);
            return this;
        }

        /** Merge {@code //} in paths into {@code /} (default true, as nginx); false answers such paths 400. */
        public Builder mergeSlashes(boolean merge) {
            config.mergeSlashes(merge);
            return this;
        }

        /** {@code %2F} and {@code %5C} in paths: rejected (the default), kept, or decoded. */
        public Builder escapedSlashes(dev.proxy4j.config.EscapedSlashes action) {
            config.escapedSlashes(action);
            return this;
        }

        /** Paths with {@code ;} (path parameters): 400 by default; true forwards them as they are. */
        public Builder allowPathParameters(boolean allow) {
            config.allowPathParameters(allow);
            return this;
        }

        public Builder drainTimeout(Duration timeout) {
            config.drainTimeout(timeout);
            return this;
        }

        /**
         * Event loops per listener; {@code 0} (the default) for one per available processor. See
         * {@link ProxyConfig.Builder#eventLoops(int)}.
         */
        public Builder eventLoops(int loops) {
            config.eventLoops(loops);
            return this;
        }

        /** Adds a listener that receives every finished request's log. */
        public Builder requestLogListener(dev.proxy4j.log.RequestLogListener listener) {
            config.requestLogListener(listener);
            return this;
        }

        /** The access log, one line per request on the logger {@code dev.proxy4j.access}; default on. */
        public Builder accessLog(boolean on) {
            config.accessLog(on);
            return this;
        }

        /**
         * How responses are compressed on their way to the client, where a route sets none of its
         * own: {@code Compression.defaults()} for zstd, br and gzip (docs/compression.md). Default
         * off. Each encoding is loaded when the proxy starts, which fails if one cannot be.
         */
        public Builder compression(dev.proxy4j.compress.Compression compression) {
            config.compression(compression);
            return this;
        }

        /** The access log's format: default, combined (nginx's, plus the proxy's fields) or json. */
        public Builder accessLogFormat(AccessLogFormat format) {
            config.accessLogFormat(format);
            return this;
        }

        /** The admin listener (live, ready, routes, upstreams, metrics, reload); off by default. */
        public Builder admin(AdminConfig admin) {
            config.admin(admin);
            return this;
        }

        /** The admin listener on loopback, port {@code port} (0 for a free one). */
        public Builder admin(int port) {
            config.admin(port);
            return this;
        }

        /** Metrics fed by every request's log, scraped at the admin listener's {@code /metrics}. */
        public Builder metrics(ProxyMetrics metrics) {
            config.metrics(metrics);
            return this;
        }

        /**
         * The proxy's own spans, e.g. {@code OpenTelemetryTracing.of(openTelemetry)} from
         * proxy-opentelemetry (docs/operations.md#tracing); off by default, when a request's
         * {@code traceparent} and {@code tracestate} go to the backend as they came.
         */
        public Builder tracing(dev.proxy4j.trace.ProxyTracing tracing) {
            config.tracing(tracing);
            return this;
        }

        public ProxyServer build() {
            return new ProxyServer(config.build());
        }
    }
}
