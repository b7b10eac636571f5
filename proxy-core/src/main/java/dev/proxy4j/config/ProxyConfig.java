package dev.proxy4j.config;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.log.AccessLogFormat;
import dev.proxy4j.metrics.ProxyMetrics;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.log.RequestLogListener;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTable;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Everything a proxy is: where it listens, its routes, and the proxy-wide policies. Immutable;
 * validated by {@link Builder#build()}.
 *
 * <p>Two kinds of setting: those fixed when the proxy starts (listeners, request header limit,
 * client idle timeout, drain timeout, the admin listener, metrics), and those a running proxy can swap with
 * {@code ProxyServer.reconfigure}: routes and their upstreams, filters, forwarding, timeouts, the
 * request body limit and request log listeners. {@link #startTimeDifference(ProxyConfig)} tells the two apart.
 */
public final class ProxyConfig {

    /** Graceful stop waits this long for in-flight requests by default (Envoy's drain time is 600 s; most deploys want less). */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** {@link Builder#eventLoops(int)}: one event loop per available processor (the default). */
    public static final int EVENT_LOOP_PER_PROCESSOR = 0;

    /** The most event loops a listener may run. */
    public static final int MAX_EVENT_LOOPS = 1024;

    /**
     * A client connection with no request in flight is closed after this long by default (nginx's
     * {@code keepalive_timeout} is 75 s). While a backend works on a request, the route's timeouts govern.
     */
    public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final List<Listener> listeners;
    private final List<TcpListener> tcpListeners;
    private final RouteTable routes;
    private final List<ProxyFilter> filters;
    private final ForwardingPolicy forwarding;
    private final Timeouts timeouts;
    private final Limits limits;
    private final ConnectionLimits connectionLimits;
    private final RequestHygiene hygiene;
    private final Duration drainTimeout;
    private final int eventLoops;
    private final Duration clientIdleTimeout;
    private final List<RequestLogListener> requestLogListeners;
    private final List<Upstream> upstreams;
    private final boolean accessLog;
    private final dev.proxy4j.compress.Compression compression;
    private final @Nullable HttpCache cache;
    private final dev.proxy4j.waf.@Nullable Waf waf;
    /** Whether any response may be compressed; asked for every request, so found once. */
    private final boolean compresses;
    private final BackendIdentity backendIdentity;
    /** Each route's filters, with the shared cache's filter last when the route takes it. */
    private final Map<Route, List<ProxyFilter>> routeFilters = new IdentityHashMap<>();
    private final AccessLogFormat accessLogFormat;
    private final Optional<AdminConfig> admin;
    private final Optional<ProxyMetrics> metrics;
    private final dev.proxy4j.trace.ProxyTracing tracing;

    private ProxyConfig(Builder b) {
        this.listeners = List.copyOf(b.listeners);
        this.tcpListeners = List.copyOf(b.tcpListeners);
        this.routes = new RouteTable(b.routes);
        this.filters = List.copyOf(b.filters);
        this.forwarding = b.forwarding;
        this.timeouts = b.timeouts;
        this.limits = b.limits;
        this.connectionLimits = b.connectionLimits;
        this.hygiene = b.hygiene;
        this.drainTimeout = b.drainTimeout;
        this.eventLoops = b.eventLoops;
        this.clientIdleTimeout = b.clientIdleTimeout;
        this.accessLog = b.accessLog;
        this.compression = b.compression;
        this.cache = b.cache;
        this.waf = b.waf;
        this.backendIdentity = b.backendIdentity;
        this.compresses = compression.enabled() || routes.routes().stream()
                .anyMatch(route -> route.compression().map(dev.proxy4j.compress.Compression::enabled).orElse(false));
        putRouteFilters(routes, cache, routeFilters);
        this.accessLogFormat = b.accessLogFormat;
        this.admin = Optional.ofNullable(b.admin);
        this.metrics = Optional.ofNullable(b.metrics);
        this.tracing = b.tracing;
        List<RequestLogListener> listeners = new ArrayList<>();
        if (b.accessLog) {
            listeners.add(dev.proxy4j.log.AccessLog.listener(b.accessLogFormat));
        }
        listeners.addAll(b.requestLogListeners);
        this.requestLogListeners = List.copyOf(listeners);
        Set<Upstream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Upstream> all = new ArrayList<>();
        for (Route route : routes.routes()) {
            for (Upstream upstream : route.target().upstreams()) {
                if (seen.add(upstream)) {
                    all.add(upstream);
                }
            }
        }
        this.upstreams = List.copyOf(all);
    }

    /** {@code from} with {@code cache} as its shared cache (and its routes' cache filters on it). */
    private ProxyConfig(ProxyConfig from, HttpCache cache) {
        this.listeners = from.listeners;
        this.tcpListeners = from.tcpListeners;
        this.routes = from.routes;
        this.filters = from.filters;
        this.forwarding = from.forwarding;
        this.timeouts = from.timeouts;
        this.limits = from.limits;
        this.connectionLimits = from.connectionLimits;
        this.hygiene = from.hygiene;
        this.drainTimeout = from.drainTimeout;
        this.eventLoops = from.eventLoops;
        this.clientIdleTimeout = from.clientIdleTimeout;
        this.requestLogListeners = from.requestLogListeners;
        this.upstreams = from.upstreams;
        this.accessLog = from.accessLog;
        this.compression = from.compression;
        this.cache = cache;
        this.waf = from.waf;
        this.compresses = from.compresses;
        this.backendIdentity = from.backendIdentity;
        putRouteFilters(routes, cache, routeFilters);
        this.accessLogFormat = from.accessLogFormat;
        this.admin = from.admin;
        this.metrics = from.metrics;
        this.tracing = from.tracing;
    }

    /**
     * Each route's filters: the WAF's first when the route has one (the route's own filters - auth,
     * header rewrites - see only what it let through), then its own, then the shared cache's when
     * it takes it. Needs {@link #waf} set.
     */
    private void putRouteFilters(RouteTable routes, @Nullable HttpCache cache, Map<Route, List<ProxyFilter>> into) {
        for (Route route : routes.routes()) {
            Optional<dev.proxy4j.waf.Waf> routeWaf = wafFor(route);
            if ((cache != null && route.cached()) || routeWaf.isPresent()) {
                List<ProxyFilter> filters = new ArrayList<>();
                routeWaf.ifPresent(filters::add);
                filters.addAll(route.filters());
                if (cache != null && route.cached()) {
                    filters.add(cache.filter(route.cacheKey()));
                }
                into.put(route, List.copyOf(filters));
            } else {
                into.put(route, route.filters());
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This configuration, but with {@code running}'s shared cache (its stored responses, its
     * requests in flight) instead of its own when the two caches have the same settings
     * ({@link HttpCache#sameSettings}): what {@code ProxyServer.reconfigure} swaps in, so that a
     * reload of an unchanged {@code cache:} keeps what is stored. This configuration as it is when
     * either has no cache, they already share one, or the settings differ (then the new cache
     * starts empty).
     */
    public ProxyConfig keepingCacheOf(ProxyConfig running) {
        Objects.requireNonNull(running, "running");
        HttpCache mine = cache;
        HttpCache kept = running.cache;
        if (mine == null || kept == null || mine == kept || !mine.sameSettings(kept)) {
            return this;
        }
        return new ProxyConfig(this, kept);
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** The TCP (layer 4) listeners; their upstreams may change on reconfigure, their ports may not. */
    public List<TcpListener> tcpListeners() {
        return tcpListeners;
    }

    /**
     * The upstreams the proxy forwards raw TCP to: its TCP listeners', then its listeners' SNI
     * passthrough names', each once (by identity), in that order. Health checks, DNS refreshes and
     * the status API cover them as they cover {@link #upstreams()}.
     */
    public List<Upstream> tcpUpstreams() {
        Set<Upstream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Upstream> all = new ArrayList<>();
        for (TcpListener listener : tcpListeners) {
            if (seen.add(listener.upstream())) {
                all.add(listener.upstream());
            }
        }
        for (Listener listener : listeners) {
            for (Upstream upstream : listener.sniPassthrough().values()) {
                if (seen.add(upstream)) {
                    all.add(upstream);
                }
            }
        }
        return all;
    }

    public RouteTable routes() {
        return routes;
    }

    /**
     * Server-wide filters: every request passes through them before routing, in the order added,
     * requests no route takes included; they see the path before any route's rewrite.
     */
    public List<ProxyFilter> filters() {
        return filters;
    }

    /** Whether the backend's {@code Server} and {@code X-Powered-By} reach the client; default {@link BackendIdentity#HIDE}. */
    public BackendIdentity backendIdentity() {
        return backendIdentity;
    }

    /** The WAF on every route that does not turn it off or set its own, when one is set. */
    public Optional<dev.proxy4j.waf.Waf> waf() {
        return Optional.ofNullable(waf);
    }

    /**
     * The WAF {@code route}'s requests pass, first of its filters: none when the route turns it off;
     * else the route's own or the proxy's, less the route's exclusions.
     *
     * @throws IllegalArgumentException when an exclusion of the route names no rule
     */
    public Optional<dev.proxy4j.waf.Waf> wafFor(Route route) {
        if (!route.wafEnabled()) {
            return Optional.empty();
        }
        Optional<dev.proxy4j.waf.Waf> base = route.waf().or(() -> Optional.ofNullable(waf));
        try {
            return base.map(w -> w.withExclusions(route.wafExclusions()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route " + route.name() + ": " + e.getMessage(), e);
        }
    }

    /** The shared cache on every route that does not turn it off, when one is set. */
    public Optional<HttpCache> cache() {
        return Optional.ofNullable(cache);
    }

    /**
     * The filters {@code route}'s requests pass: its own, then the shared cache's (nearest the target,
     * so a route's filters see cache hits on their way back, as compression must).
     */
    public List<ProxyFilter> filtersFor(Route route) {
        List<ProxyFilter> filters = routeFilters.get(route);
        return filters != null ? filters : route.filters();
    }

    public ForwardingPolicy forwarding() {
        return forwarding;
    }

    /** Timeouts for routes that set none of their own. */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** The timeouts that apply to {@code route}. */
    public Timeouts timeoutsFor(Route route) {
        return route.timeoutsOver(timeouts);
    }

    public Limits limits() {
        return limits;
    }

    /** Open connections per client address and per listener; read at each accept, so a reconfigure changes them. */
    public ConnectionLimits connectionLimits() {
        return connectionLimits;
    }

    /** What is let through at the door: header names, methods, upgrades, paths. */
    public RequestHygiene hygiene() {
        return hygiene;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * How many event loops (selector threads) each listener runs, or {@link #EVENT_LOOP_PER_PROCESSOR}
     * for one per available processor.
     */
    public int eventLoops() {
        return eventLoops;
    }

    /** The event loops each listener runs on a machine with {@code processors} available processors. */
    public int eventLoops(int processors) {
        return eventLoops == EVENT_LOOP_PER_PROCESSOR ? Math.max(1, processors) : eventLoops;
    }

    public Duration clientIdleTimeout() {
        return clientIdleTimeout;
    }

    /** Whether the access log is on. */
    public boolean accessLog() {
        return accessLog;
    }

    /** The access log's line format; default {@link AccessLogFormat#DEFAULT}. */
    public AccessLogFormat accessLogFormat() {
        return accessLogFormat;
    }

    /** The admin listener, when there is one (off by default). Fixed at start. */
    public Optional<AdminConfig> admin() {
        return admin;
    }

    /**
     * The proxy's metrics, when on: fed every request's log after the listeners below, and scraped
     * by the admin listener's {@code /metrics}. Fixed at start: a running proxy keeps the metrics it
     * started with (and their counts) when reconfigured.
     */
    public Optional<ProxyMetrics> metrics() {
        return metrics;
    }

    /**
     * The proxy's own spans, {@code ProxyTracing.none()} by default (then trace context headers
     * pass through untouched). Swapped by {@code reconfigure} like the routes: a request keeps the
     * tracing it began with.
     */
    public dev.proxy4j.trace.ProxyTracing tracing() {
        return tracing;
    }

    /** Listeners that receive every finished request's log: the access log when on, then those added. */
    public List<RequestLogListener> requestLogListeners() {
        return requestLogListeners;
    }

    /** How responses are compressed, where a route sets none of its own; default {@code Compression.off()}. */
    public dev.proxy4j.compress.Compression compression() {
        return compression;
    }

    /** The compression for a response of {@code route} (the route's own, else the proxy's); the proxy's for none. */
    public dev.proxy4j.compress.Compression compressionFor(java.util.Optional<Route> route) {
        return route.flatMap(Route::compression).orElse(compression);
    }

    /** Whether any response may be compressed: the proxy's or some route's compression is on. */
    public boolean compresses() {
        return compresses;
    }

    /** Every upstream the routes send to, each once, in the order first named. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    /**
     * The first setting fixed at start in which {@code other} differs from this configuration,
     * worded for a log line (e.g. {@code "listeners[0].port: 8081 (was 8080)"}); empty when a
     * running proxy can take {@code other} as it is.
     */
    public Optional<String> startTimeDifference(ProxyConfig other) {
        if (other.listeners.size() != listeners.size()) {
            return Optional.of("listeners: " + other.listeners.size() + " (was " + listeners.size() + ")");
        }
        for (int i = 0; i < listeners.size(); i++) {
            Listener was = listeners.get(i);
            Listener now = other.listeners.get(i);
            if (!was.host().equals(now.host())) {
                return Optional.of("listeners[" + i + "].host: " + now.host() + " (was " + was.host() + ")");
            }
            if (was.port() != now.port()) {
                return Optional.of("listeners[" + i + "].port: " + now.port() + " (was " + was.port() + ")");
            }
            if (was.isSecure() != now.isSecure()) {
                return Optional.of("listeners[" + i + "].tls: " + (now.isSecure() ? "set" : "none")
                        + " (was " + (was.isSecure() ? "set" : "none") + ")");
            }
        }
        if (other.tcpListeners.size() != tcpListeners.size()) {
            return Optional.of("tcp: " + other.tcpListeners.size() + " (was " + tcpListeners.size() + ")");
        }
        for (int i = 0; i < tcpListeners.size(); i++) {
            TcpListener was = tcpListeners.get(i);
            TcpListener now = other.tcpListeners.get(i);
            if (!was.host().equals(now.host()) || was.port() != now.port()) {
                return Optional.of("tcp[" + i + "]: " + now.host() + ":" + now.port() + " (was " + was.host() + ":"
                        + was.port() + ")");
            }
        }
        if (other.limits.maxRequestHeaderBytes() != limits.maxRequestHeaderBytes()) {
            return Optional.of("maxRequestHeaderBytes: " + other.limits.maxRequestHeaderBytes() + " (was "
                    + limits.maxRequestHeaderBytes() + ")");
        }
        if (other.hygiene.h2cUpgrade() != hygiene.h2cUpgrade()) {
            return Optional.of("h2cUpgrade: " + other.hygiene.h2cUpgrade() + " (was " + hygiene.h2cUpgrade() + ")");
        }
        if (!other.clientIdleTimeout.equals(clientIdleTimeout)) {
            return Optional.of("clientIdleTimeout: " + other.clientIdleTimeout + " (was " + clientIdleTimeout + ")");
        }
        if (!other.admin.equals(admin)) {
            return Optional.of("admin: " + other.admin.map(Object::toString).orElse("none") + " (was "
                    + admin.map(Object::toString).orElse("none") + ")");
        }
        if (other.metrics.isPresent() != metrics.isPresent()) {
            return Optional.of("metrics: " + (other.metrics.isPresent() ? "on" : "off") + " (was "
                    + (metrics.isPresent() ? "on" : "off") + ")");
        }
        if (!other.drainTimeout.equals(drainTimeout)) {
            return Optional.of("drainTimeout: " + other.drainTimeout + " (was " + drainTimeout + ")");
        }
        if (other.eventLoops != eventLoops) {
            return Optional.of("eventLoops: " + loopsText(other.eventLoops) + " (was " + loopsText(eventLoops) + ")");
        }
        return Optional.empty();
    }

    private static String loopsText(int loops) {
        return loops == EVENT_LOOP_PER_PROCESSOR ? "auto" : String.valueOf(loops);
    }

    /** Builds a {@link ProxyConfig}. */
    public static final class Builder {
        private final List<Listener> listeners = new ArrayList<>();
        private final List<TcpListener> tcpListeners = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<ProxyFilter> filters = new ArrayList<>();
        private ForwardingPolicy forwarding = ForwardingPolicy.defaults();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private ConnectionLimits connectionLimits = ConnectionLimits.NONE;
        private RequestHygiene hygiene = RequestHygiene.DEFAULTS;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private int eventLoops = EVENT_LOOP_PER_PROCESSOR;
        private Duration clientIdleTimeout = DEFAULT_CLIENT_IDLE_TIMEOUT;
        private final List<RequestLogListener> requestLogListeners = new ArrayList<>();
        private boolean accessLog = true;
        private dev.proxy4j.compress.Compression compression = dev.proxy4j.compress.Compression.off();
        private @Nullable HttpCache cache;
        private dev.proxy4j.waf.@Nullable Waf waf;
        private BackendIdentity backendIdentity = BackendIdentity.HIDE;
        private AccessLogFormat accessLogFormat = AccessLogFormat.DEFAULT;
        private @org.jspecify.annotations.Nullable AdminConfig admin;
        private @org.jspecify.annotations.Nullable ProxyMetrics metrics;
        private dev.proxy4j.trace.ProxyTracing tracing = dev.proxy4j.trace.ProxyTracing.none();

        private Builder() {
        }

        /**
         * How responses are compressed on their way to the client, where a route sets none of its
         * own: {@code Compression.defaults()} for zstd, br and gzip (docs/compression.md). Default off.
         */
        public Builder compression(dev.proxy4j.compress.Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * A shared HTTP cache (RFC 9111) on every route, except those built with {@code cache(false)};
         * each route's requests are keyed by its {@code cacheKey}.
         */
        public Builder cache(HttpCache cache) {
            Objects.requireNonNull(cache, "cache");
            if (this.cache != null) {
                throw new IllegalStateException("cache was already set to " + this.cache);
            }
            this.cache = cache;
            return this;
        }

        /** Whether the backend's {@code Server} and {@code X-Powered-By} reach clients; default {@link BackendIdentity#HIDE}. */
        public Builder backendIdentity(BackendIdentity backendIdentity) {
            this.backendIdentity = Objects.requireNonNull(backendIdentity, "backendIdentity");
            return this;
        }

        /**
         * Attack-pattern filtering on every route, first of its filters, except routes built with
         * {@code waf(false)} or a WAF of their own; a route's {@code wafExclusions} take rules out.
         */
        public Builder waf(dev.proxy4j.waf.Waf waf) {
            Objects.requireNonNull(waf, "waf");
            if (this.waf != null) {
                throw new IllegalStateException("waf was already set to " + this.waf);
            }
            this.waf = waf;
            return this;
        }

        /** The access log's line format: default, nginx's combined plus the proxy's fields, or JSON. */
        public Builder accessLogFormat(AccessLogFormat format) {
            this.accessLogFormat = Objects.requireNonNull(format, "accessLogFormat");
            return this;
        }

        /** An admin listener (health, routes, upstreams, metrics, reload); see docs/operations.md. Off by default. */
        public Builder admin(AdminConfig admin) {
            if (this.admin != null) {
                throw new IllegalStateException("admin was already set to " + this.admin);
            }
            this.admin = Objects.requireNonNull(admin, "admin");
            return this;
        }

        /** An admin listener on loopback, port {@code port} (0 for a free one), without a token. */
        public Builder admin(int port) {
            return admin(AdminConfig.onPort(port));
        }

        /** Metrics fed by every request's log and scraped by the admin listener (proxy-micrometer has one). */
        public Builder metrics(ProxyMetrics metrics) {
            if (this.metrics != null) {
                throw new IllegalStateException("metrics was already set to " + this.metrics);
            }
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The proxy's own spans: one per request, one per attempt at a backend, the attempt's trace
         * context sent to the backend (proxy-opentelemetry has one). Default {@code ProxyTracing.none()}.
         */
        public Builder tracing(dev.proxy4j.trace.ProxyTracing tracing) {
            Objects.requireNonNull(tracing, "tracing");
            if (this.tracing.enabled()) {
                throw new IllegalStateException("tracing was already set to " + this.tracing);
            }
            this.tracing = tracing;
            return this;
        }

        /** One line per request on the logger {@code dev.proxy4j.access}; default on. */
        public Builder accessLog(boolean on) {
            this.accessLog = on;
            return this;
        }

        /** Adds a listener for every finished request's log; listeners run in the order added. */
        public Builder requestLogListener(RequestLogListener listener) {
            requestLogListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder listener(Listener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Adds a TCP (layer 4) listener: its connections go, as raw bytes, to an endpoint of its upstream. */
        public Builder tcp(TcpListener listener) {
            tcpListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder route(Consumer<Route.Builder> configurer) {
            Route.Builder builder = Route.builder();
            configurer.accept(builder);
            return route(builder.build());
        }

        public Builder filter(ProxyFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        public Builder forwarding(ForwardingPolicy forwarding) {
            this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
            return this;
        }

        public Builder forwarding(Consumer<ForwardingPolicy.Builder> configurer) {
            ForwardingPolicy.Builder builder = forwarding.toBuilder();
            configurer.accept(builder);
            return forwarding(builder.build());
        }

        public Builder responseHeadersTimeout(Duration timeout) {
            timeouts = timeouts.withResponseHeaders(Checks.positiveOrZero("responseHeadersTimeout", timeout));
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            timeouts = timeouts.withIdle(Checks.positiveOrZero("idleTimeout", timeout));
            return this;
        }

        public Builder totalTimeout(Duration timeout) {
            timeouts = timeouts.withTotal(Checks.positiveOrZero("totalTimeout", timeout));
            return this;
        }

        public Builder maxRequestHeaderBytes(int bytes) {
            limits = new Limits(bytes, limits.maxRequestBodyBytes(), limits.maxRequestHeaderCount());
            return this;
        }

        /** {@link Limits#UNLIMITED} for no limit. */
        public Builder maxRequestBodyBytes(long bytes) {
            limits = new Limits(limits.maxRequestHeaderBytes(), bytes, limits.maxRequestHeaderCount());
            return this;
        }

        /** Header fields a request may have, 1..10000; default {@value Limits#DEFAULT_MAX_REQUEST_HEADER_COUNT}. Over it: 431. */
        public Builder maxRequestHeaderCount(int count) {
            limits = new Limits(limits.maxRequestHeaderBytes(), limits.maxRequestBodyBytes(), count);
            return this;
        }

        /**
         * Open connections one client address may hold over all listeners; default {@link ConnectionLimits#UNLIMITED}
         * (no limit). Over it the connection is closed as soon as it is accepted.
         */
        public Builder maxConnectionsPerIp(int max) {
            connectionLimits = connectionLimits.withMaxConnectionsPerIp(max);
            return this;
        }

        /** Open connections each listener accepts in all; default {@link ConnectionLimits#UNLIMITED} (no limit). */
        public Builder maxConnectionsPerListener(int max) {
            connectionLimits = connectionLimits.withMaxConnectionsPerListener(max);
            return this;
        }

        /** Forward header fields whose name contains {@code _}; default false (they are dropped). */
        public Builder allowUnderscoresInHeaders(boolean allow) {
            hygiene = hygiene.withAllowUnderscoresInHeaders(allow);
            return this;
        }

        /** Forward TRACE; default false (405). */
        public Builder allowTrace(boolean allow) {
            hygiene = hygiene.withAllowTrace(allow);
            return this;
        }

        /** Honour {@code Upgrade: h2c} on plain listeners; default false (h2c by prior knowledge only). Fixed at start. */
        public Builder h2cUpgrade(boolean allow) {
            hygiene = hygiene.withH2cUpgrade(allow);
            return this;
        }

        /** Merge {@code //} into {@code /} (default true); false refuses such paths with 400. */
        public Builder mergeSlashes(boolean merge) {
            hygiene = hygiene.withMergeSlashes(merge);
            return this;
        }

        /** What to do with {@code %2F} and {@code %5C} in paths; default {@link EscapedSlashes#REJECT}. */
        public Builder escapedSlashes(EscapedSlashes action) {
            hygiene = hygiene.withEscapedSlashes(action);
            return this;
        }

        /** Forward paths with {@code ;} as they are; default false (400, see {@link RequestHygiene}). */
        public Builder allowPathParameters(boolean allow) {
            hygiene = hygiene.withAllowPathParameters(allow);
            return this;
        }

        public Builder hygiene(RequestHygiene hygiene) {
            this.hygiene = Objects.requireNonNull(hygiene, "hygiene");
            return this;
        }

        public Builder drainTimeout(Duration timeout) {
            drainTimeout = Checks.positive("drainTimeout", timeout);
            return this;
        }

        /**
         * How many event loops (selector threads, each carrying its connections' requests from end
         * to end) each listener runs: nginx's {@code worker_processes}, Envoy's {@code --concurrency}.
         * The default, {@link #EVENT_LOOP_PER_PROCESSOR}, runs one per available processor; fewer
         * leave cores to other work on the machine. Fixed at start.
         */
        public Builder eventLoops(int loops) {
            if (loops < 0 || loops > MAX_EVENT_LOOPS) {
                throw new IllegalArgumentException("eventLoops: " + loops + " (expected: 1 to " + MAX_EVENT_LOOPS
                        + ", or " + EVENT_LOOP_PER_PROCESSOR + " for one per processor)");
            }
            eventLoops = loops;
            return this;
        }

        /** How long an idle client connection is kept open; default {@link #DEFAULT_CLIENT_IDLE_TIMEOUT}. */
        public Builder clientIdleTimeout(Duration timeout) {
            clientIdleTimeout = Checks.positive("clientIdleTimeout", timeout);
            return this;
        }

        public ProxyConfig build() {
            if (listeners.isEmpty() && tcpListeners.isEmpty()) {
                throw new IllegalStateException("listeners: none (expected: at least one listen(...) call)");
            }
            for (int i = 0; i < listeners.size(); i++) {
                for (int j = 0; j < i; j++) {
                    Listener a = listeners.get(j);
                    Listener b = listeners.get(i);
                    if (b.port() != 0 && a.port() == b.port() && a.host().equals(b.host())) {
                        throw new IllegalStateException("listeners[" + i + "]: " + b.host() + ":" + b.port()
                                + " (expected: each host and port once; listeners[" + j + "] has it)");
                    }
                }
            }
            if (routes.isEmpty() && !listeners.isEmpty()) {
                throw new IllegalStateException("routes: none (expected: at least one route(...) call)");
            }
            return new ProxyConfig(this);
        }
    }
}
