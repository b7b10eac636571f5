package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of backend endpoints a route forwards to, the load balancer that spreads requests over
 * them, when a request is retried, and how the proxy connects to them. Its settings are immutable
 * ({@link #toBuilder()} makes a changed copy); its {@link #group()} of endpoints is live: members
 * may be added, drained, removed and marked unhealthy while it serves, and every request sees the
 * members as they are when it {@linkplain #select selects} one.
 *
 * <p>The adapter's part, per attempt: {@link #select} (or {@link #retry} after a failed attempt),
 * send to {@link Selection#endpoint()}, then {@link Selection#complete(Outcome)} exactly once.
 * Thread-safe.
 *
 * <pre>{@code
 * Upstream api = Upstream.builder()
 *         .endpoint("http://10.0.0.1:8080", 3)
 *         .endpoint("http://10.0.0.2:8080")
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 */
public final class Upstream {

    /** 5 seconds, as Envoy's cluster {@code connect_timeout}; nginx's 60s would hold clients a minute per dead backend. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** 256 connections to each endpoint. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 256;
    /** 60 seconds, as nginx's {@code keepalive_timeout} in an {@code upstream} block. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** HTTP/1.1. */
    public static final UpstreamProtocol DEFAULT_PROTOCOL = UpstreamProtocol.HTTP_1_1;
    /** Smooth weighted round-robin, which is plain round-robin when all weights are equal. */
    public static final LoadBalancer DEFAULT_LOAD_BALANCER = LoadBalancer.weightedRoundRobin();
    /** The safe retries, 3 attempts in all; see {@link RetryPolicy}. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.defaults();

    /** True: when no endpoint is healthy, requests go to all of them (Envoy's panic routing) rather than get 503. */
    public static final boolean DEFAULT_PANIC_ROUTING = true;
    /** Panic only when no endpoint is in rotation (Envoy's default is 50%). */
    public static final int DEFAULT_PANIC_THRESHOLD = 0;

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final String name;
    private final EndpointGroup group;
    private final LoadBalancer loadBalancer;
    private final EndpointSelector selector;
    private final RetryPolicy retryPolicy;
    private final RetryBudget retryBudget;
    private final Ticker ticker;
    private final Duration connectTimeout;
    private final int maxConnectionsPerEndpoint;
    private final Duration idleTimeout;
    private final UpstreamProtocol protocol;
    private final dev.proxy4j.forward.@Nullable ProxyProtocol proxyProtocol;
    private final @Nullable HealthCheck healthCheck;
    private final @Nullable OutlierDetection outlierDetection;
    private final @Nullable DnsResolution dnsResolution;
    /** The endpoints named by a host name that {@link #dnsResolution} looks up; empty without it. */
    private final List<Endpoint> resolvedNames;
    private final EndpointEvents events;

    private Upstream(Builder b, EndpointGroup group, EndpointSelector selector, List<Endpoint> resolvedNames) {
        this.name = b.name != null ? b.name : b.endpoints.get(0).authority();
        this.group = group;
        this.loadBalancer = b.loadBalancer;
        this.selector = selector;
        this.retryPolicy = b.retryPolicy;
        this.retryBudget = new RetryBudget(b.retryPolicy);
        this.ticker = b.ticker;
        this.connectTimeout = b.connectTimeout;
        this.maxConnectionsPerEndpoint = b.maxConnectionsPerEndpoint;
        this.idleTimeout = b.idleTimeout;
        this.protocol = b.protocol;
        this.proxyProtocol = b.proxyProtocol;
        this.healthCheck = b.healthCheck;
        this.outlierDetection = b.outlierDetection;
        this.dnsResolution = b.dnsResolution;
        this.resolvedNames = List.copyOf(resolvedNames);
        this.events = new EndpointEvents(name,
                b.outlierDetection == null ? null : new OutlierDetector(name, group, b.outlierDetection));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An upstream of these endpoints, each of weight 1, with every default. */
    public static Upstream of(String... uris) {
        Builder builder = builder();
        for (String uri : uris) {
            builder.endpoint(uri);
        }
        return builder.build();
    }

    /**
     * A builder holding this upstream's settings and its group's endpoints as they are now (for a
     * name it {@linkplain #dnsResolution() resolves}, the name rather than its addresses), to
     * change them (the load balancer may be replaced once) or add endpoints. Its {@code build()}
     * makes a new group (healthy members, no statistics), selector and retry budget.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The name used in logs: as set, or the first endpoint's authority. */
    public String name() {
        return name;
    }

    /** The group's endpoints as they are now, in the order they joined; an unmodifiable snapshot. */
    public List<Endpoint> endpoints() {
        return group.endpoints();
    }

    /** The live endpoints: change them here at run time. */
    public EndpointGroup group() {
        return group;
    }

    /** When a failed attempt is tried again. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The retry budget this upstream's requests share. */
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /**
     * Chooses an endpoint for the first attempt at {@code request} (or any attempt the adapter
     * makes outside the retry policy), other than those in {@code excluded}. The selection is in
     * flight until {@link Selection#complete(Outcome)}.
     *
     * @return empty when no selectable endpoint is left outside {@code excluded}: the adapter
     *     answers {@link UpstreamFailure.Kind#NO_ENDPOINT} (503)
     * @throws IllegalStateException when the selector breaks its contract by choosing an excluded endpoint
     */
    public Optional<Selection> select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
        return choose(ctx, request, excluded, false, true);
    }

    /**
     * The next attempt at {@code request} after one that ended with {@code lastOutcome}, when the
     * retry policy allows it, the retry budget has room and a selectable endpoint is left: one
     * outside {@code excluded} (those tried) while there is one, otherwise one already tried (the
     * load balancer's choice among them all), except after a timeout: a request never waits out
     * the same endpoint's timeout twice. A granted retry holds its place in the budget until
     * its selection completes. How long to wait first is {@link RetryPolicy#delay(int, boolean, String,
     * java.time.Clock, double)}'s answer, given {@link Selection#isToUntriedEndpoint()}.
     *
     * @param attemptsSoFar the attempts made, the one that just ended included
     * @param bodySentAndNotReplayable true when part of the body has gone and cannot be sent again
     * @return empty when the request is not to be retried: the adapter answers with the last outcome
     */
    public Optional<Selection> retry(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded,
            int attemptsSoFar, Outcome lastOutcome, boolean bodySentAndNotReplayable) {
        if (!retryPolicy.shouldRetry(request, attemptsSoFar, lastOutcome, bodySentAndNotReplayable)) {
            return Optional.empty();
        }
        if (!retryBudget.tryAcquire()) {
            if (ctx.log() instanceof RequestLogBuilder log) {
                log.retryBudgetSpent(true);
            }
            LOG.debug("upstream {}: retry budget spent ({}), not retrying {} after {}", name, retryBudget,
                    request.requestId(), lastOutcome);
            return Optional.empty();
        }
        Optional<Selection> selection;
        try {
            selection = choose(ctx, request, excluded, true, true);
            if (selection.isEmpty() && !excluded.isEmpty() && !timedOut(lastOutcome)) {
                selection = choose(ctx, request, Set.of(), true, false);
            }
        } catch (RuntimeException e) {
            retryBudget.release();
            throw e;
        }
        if (selection.isEmpty()) {
            retryBudget.release();
        }
        return selection;
    }

    private static boolean timedOut(Outcome outcome) {
        UpstreamFailure.Kind failure = outcome.failure();
        return failure != null && (failure.isTimeout() || failure == UpstreamFailure.Kind.CONNECT_TIMEOUT);
    }

    private Optional<Selection> choose(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded,
            boolean retry, boolean untried) {
        EndpointState state = selector.select(ctx, request, excluded);
        if (state == null) {
            return Optional.empty();
        }
        if (Selectors.isExcluded(excluded, state)) {
            throw new IllegalStateException("selector " + selector + " chose " + state.endpoint()
                    + ", which is excluded (expected: an endpoint not in " + excluded + ")");
        }
        Headers responseHeaders = selector.responseHeaders(ctx, request, state);
        state.begin();
        retryBudget.requestStarted();
        return Optional.of(new Selection(state, group, retryBudget, retry, untried, events, ticker, responseHeaders));
    }

    /** The active health check the proxy runs against each endpoint; empty for none (the default). */
    public Optional<HealthCheck> healthCheck() {
        return Optional.ofNullable(healthCheck);
    }

    /** How the endpoints named by a host name are re-resolved; empty when they are not (the default). */
    public Optional<DnsResolution> dnsResolution() {
        return Optional.ofNullable(dnsResolution);
    }

    /**
     * The endpoints given by a host name that {@link #dnsResolution()} looks up: the group holds
     * one endpoint per address of each ({@link Endpoint#resolvedAddress()}), not these. Empty
     * without DNS resolution.
     */
    public List<Endpoint> resolvedNames() {
        return resolvedNames;
    }

    /** Passive health: when endpoints are ejected for what requests found; empty for none (the default). */
    public Optional<OutlierDetection> outlierDetection() {
        return Optional.ofNullable(outlierDetection);
    }

    /** The outlier detector over this upstream's group, whose {@link OutlierDetector#sweep()} the adapter calls. */
    public Optional<OutlierDetector> outlierDetector() {
        return Optional.ofNullable(events.detector());
    }

    /**
     * Makes this upstream, which replaces {@code previous} (a reconfigure or a config-file reload
     * that keeps the upstream's name), start from what {@code previous} knew of the same servers
     * instead of from nothing: each endpoint with the same URI (and address) keeps its health and
     * its active checks' rise/fall counter, its last check, where its slow start has got to, its
     * runs of failures and its latency; with outlier detection on this upstream, also its ejection
     * (for the time it had left) and its ejections in a row. New endpoints start as usual; draining
     * ones of {@code previous} pass nothing on. The proxy calls it before the new configuration
     * takes requests; call it yourself only on an upstream not yet in force.
     *
     * @return how many endpoints took state over
     */
    public int carryStateFrom(Upstream previous) {
        return group.carryFrom(Objects.requireNonNull(previous, "previous").group, outlierDetection != null);
    }

    /** Whether requests go to every endpoint when none is healthy (true) or get 503 (false). */
    public boolean panicRouting() {
        return group.panicRouting();
    }

    /** The share of endpoints in rotation below which requests go to all of them; 0: only when none is. */
    public int panicThreshold() {
        return group.panicThresholdPercent();
    }

    /**
     * Each member's health, ejection and load as they are now, in the group's order: the read
     * API for an admin page or a test. A moment's view of each member, taken lock-free.
     */
    public List<EndpointStatus> endpointStatuses() {
        EndpointGroup.Snapshot snapshot = group.snapshot();
        long now = ticker.nanos();
        List<EndpointStatus> statuses = new ArrayList<>(snapshot.members().size());
        for (EndpointState member : snapshot.members()) {
            statuses.add(EndpointStatus.of(member, snapshot.selectable().contains(member), now));
        }
        return List.copyOf(statuses);
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** This upstream's selector over its group, made by its load balancer once, when the upstream was built. */
    public EndpointSelector selector() {
        return selector;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxConnectionsPerEndpoint() {
        return maxConnectionsPerEndpoint;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public UpstreamProtocol protocol() {
        return protocol;
    }

    /**
     * The PROXY protocol header sent first on each backend connection, so that the backend learns
     * the client's address; empty for none (the default). For HTTP this makes backend connections
     * per client connection (see {@link Builder#proxyProtocol}).
     */
    public Optional<dev.proxy4j.forward.ProxyProtocol> proxyProtocol() {
        return Optional.ofNullable(proxyProtocol);
    }

    @Override
    public String toString() {
        return "Upstream{name=" + name + ", endpoints=" + endpoints() + ", loadBalancer=" + loadBalancer
                + (healthCheck == null ? "" : ", healthCheck=" + healthCheck)
                + (outlierDetection == null ? "" : ", outlierDetection=" + outlierDetection)
                + (dnsResolution == null ? "" : ", resolve=" + resolvedNames + ' ' + dnsResolution)
                + (group.panicRouting() ? "" : ", panicRouting=false")
                + (group.panicThresholdPercent() == 0 ? "" : ", panicThreshold=" + group.panicThresholdPercent())
                + ", protocol=" + protocol + (proxyProtocol == null ? "" : ", proxyProtocol=" + proxyProtocol)
                + ", connectTimeout=" + connectTimeout
                + ", maxConnectionsPerEndpoint=" + maxConnectionsPerEndpoint + ", idleTimeout=" + idleTimeout
                + ", retryPolicy=" + retryPolicy + '}';
    }

    /**
     * Builds an {@link Upstream}; needs at least one endpoint, every other setting has a default.
     * A setting given twice takes the second value, except the load balancer, which is set once.
     */
    public static final class Builder {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final Set<String> endpointKeys = new HashSet<>();
        private LoadBalancer loadBalancer = DEFAULT_LOAD_BALANCER;
        private boolean loadBalancerSet;
        /** Null until {@link #name(String)}: {@code build()} then names the upstream after its first endpoint. */
        private @Nullable String name;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxConnectionsPerEndpoint = DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private UpstreamProtocol protocol = DEFAULT_PROTOCOL;
        private dev.proxy4j.forward.@Nullable ProxyProtocol proxyProtocol;
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private Ticker ticker = Ticker.system();
        private @Nullable HealthCheck healthCheck;
        private @Nullable OutlierDetection outlierDetection;
        private @Nullable DnsResolution dnsResolution;
        private boolean panicRouting = DEFAULT_PANIC_ROUTING;
        private int panicThreshold = DEFAULT_PANIC_THRESHOLD;

        private Builder() {
        }

        private Builder(Upstream u) {
            // The names, not the addresses they resolved to: the copy resolves them again.
            u.resolvedNames.forEach(this::endpoint);
            for (Endpoint endpoint : u.endpoints()) {
                if (endpoint.address() == null) {
                    endpoint(endpoint);
                }
            }
            dnsResolution = u.dnsResolution;
            loadBalancer = u.loadBalancer;
            name = u.name;
            connectTimeout = u.connectTimeout;
            maxConnectionsPerEndpoint = u.maxConnectionsPerEndpoint;
            idleTimeout = u.idleTimeout;
            protocol = u.protocol;
            proxyProtocol = u.proxyProtocol;
            retryPolicy = u.retryPolicy;
            ticker = u.ticker;
            healthCheck = u.healthCheck;
            outlierDetection = u.outlierDetection;
            panicRouting = u.panicRouting();
            panicThreshold = u.panicThreshold();
        }

        /** Adds an endpoint of weight 1, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(String uri) {
            return endpoint(Endpoint.of(uri));
        }

        /** Adds an endpoint of weight 1. */
        public Builder endpoint(java.net.URI uri) {
            return endpoint(Endpoint.of(Objects.requireNonNull(uri, "uri").toString()));
        }

        /** Adds an endpoint of the given weight (1..1000). */
        public Builder endpoint(java.net.URI uri, int weight) {
            return endpoint(Endpoint.of(Objects.requireNonNull(uri, "uri").toString(), weight));
        }

        /** Adds an endpoint of the given weight (1..1000). */
        public Builder endpoint(String uri, int weight) {
            return endpoint(Endpoint.of(uri, weight));
        }

        /** Adds an endpoint; a second one for the same scheme, host and port is refused. */
        public Builder endpoint(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!endpointKeys.add(endpoint.key())) {
                throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" (expected: each endpoint once)");
            }
            endpoints.add(endpoint);
            return this;
        }

        /**
         * How requests are spread over the endpoints: a built-in from {@link LoadBalancer}'s
         * factories (or {@link LoadBalancer#parse} of the launcher's {@code --lb} spelling), or your
         * own. Default: {@link LoadBalancer#weightedRoundRobin()}.
         */
        public Builder loadBalancer(LoadBalancer loadBalancer) {
            Objects.requireNonNull(loadBalancer, "loadBalancer");
            if (loadBalancerSet) {
                throw new IllegalStateException("loadBalancer was already set to " + this.loadBalancer);
            }
            this.loadBalancer = loadBalancer;
            loadBalancerSet = true;
            return this;
        }

        /** The name used in logs. Default: the first endpoint's authority, e.g. {@code 10.0.0.1:8080}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
            }
            this.name = name;
            return this;
        }

        /**
         * How long opening a connection to an endpoint (TCP, and TLS for https) may take before the
         * attempt fails. Default: 5 seconds, as Envoy's
         * cluster {@code connect_timeout}; nginx's {@code proxy_connect_timeout} of 60s is too lax.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * The most connections open to one endpoint at a time, busy and idle together; requests
         * beyond it wait for a connection. Default: 256. nginx's {@code max_conns} on a
         * {@code server} (unlimited by default); Envoy's circuit breaker {@code max_connections}
         * (1024 per cluster by default).
         */
        public Builder maxConnectionsPerEndpoint(int maxConnectionsPerEndpoint) {
            if (maxConnectionsPerEndpoint <= 0) {
                throw new IllegalArgumentException(
                        "maxConnectionsPerEndpoint: " + maxConnectionsPerEndpoint + " (expected: > 0)");
            }
            this.maxConnectionsPerEndpoint = maxConnectionsPerEndpoint;
            return this;
        }

        /**
         * How long a pooled keep-alive connection may sit idle before it is closed. Default: 60
         * seconds, as nginx's {@code keepalive_timeout} in an {@code upstream} block; Envoy's
         * {@code common_http_protocol_options.idle_timeout} is an hour. Keep it below the
         * backends' own idle timeout, so that the proxy closes first.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positive("idleTimeout", idleTimeout);
            return this;
        }

        /**
         * The HTTP version spoken to the endpoints. Default: {@link UpstreamProtocol#HTTP_1_1}, as
         * Envoy's default (nginx needs {@code proxy_http_version 1.1} for it).
         */
        public Builder protocol(UpstreamProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Sends HAProxy's PROXY protocol header ({@code v1} text or {@code v2} binary) first on each
         * connection to an endpoint, so that the backend (nginx {@code proxy_protocol}, HAProxy
         * {@code accept-proxy}, Jetty's {@code ProxyConnectionFactory}) learns the client's address
         * and port. As HAProxy's {@code send-proxy}, a backend connection then carries the requests
         * of one client connection only: connections are pooled per client connection (HTTP/1.1
         * and HTTP/2 alike), kept alive between its requests and closed after the upstream's
         * {@link #idleTimeout}; {@link #maxConnectionsPerEndpoint} bounds each client connection's
         * share. Health checks send {@code PROXY UNKNOWN} (v1) or a {@code LOCAL} header (v2).
         * Default: none. A TCP listener sends the header of its own setting
         * ({@code TcpListener.withProxyProtocol}), this one when it has none.
         */
        public Builder proxyProtocol(dev.proxy4j.forward.ProxyProtocol version) {
            this.proxyProtocol = Objects.requireNonNull(version, "proxyProtocol");
            return this;
        }

        /** When failed attempts are tried again, and the retry budget. Default: {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * An active HTTP health check of each endpoint, run by the proxy on its own scheduler
         * (see {@link HealthCheck}): endpoints that fail it are left out of selection until they
         * pass it again. Default: none.
         */
        public Builder healthCheck(HealthCheck healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /** {@code healthCheck(HealthCheck.of(path))}: a check of {@code path} with every default. */
        public Builder healthCheck(String path) {
            return healthCheck(HealthCheck.of(path));
        }

        /**
         * Ejects endpoints for a while when requests to them fail in a row (see
         * {@link OutlierDetection}; {@link OutlierDetection#defaults()} are Envoy's). Default: none,
         * as Envoy and HAProxy; retries already keep a dead endpoint's refusals from clients.
         */
        public Builder outlierDetection(OutlierDetection outlierDetection) {
            this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
            return this;
        }

        /**
         * What happens when no endpoint is healthy and in rotation (all failed their health checks
         * or were ejected): true (the default) sends requests to all of them anyway, as Envoy's
         * panic routing and nginx, since a sick backend may still answer where a 503 never will and
         * a broken health check should not take the service down; false answers 503, as HAProxy
         * with no server up.
         */
        public Builder panicRouting(boolean panicRouting) {
            this.panicRouting = panicRouting;
            return this;
        }

        /**
         * Panic routing before every endpoint is out: when fewer than {@code percent} of the
         * endpoints that are not draining are healthy and in rotation, requests go to all of them,
         * as Envoy's {@code healthy_panic_threshold} (50% there). Then the few left are not
         * overwhelmed by the load of all the others when a health check or an outage takes most of
         * them out at once. Default 0: panic only when none is in rotation. 0..100; above 0 needs
         * panic routing.
         */
        public Builder panicThreshold(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("panicThreshold: " + percent + " (expected: 0..100)");
            }
            this.panicThreshold = percent;
            return this;
        }

        /**
         * Re-resolves the endpoints named by a host name as their DNS answers change (see
         * {@link DnsResolution}): each address is an endpoint, added and drained as answers
         * change; a failed lookup keeps the last known addresses. Endpoints whose host is an IP
         * literal are left as they are. Default: none; each name is then resolved by the HTTP
         * client when it opens a connection, and all its connections go to the first address that
         * accepts.
         */
        public Builder resolve(DnsResolution dnsResolution) {
            this.dnsResolution = Objects.requireNonNull(dnsResolution, "dnsResolution");
            return this;
        }

        /** {@code resolve(DnsResolution.defaults())}: every 5 seconds, with the JVM's resolver. */
        public Builder resolve() {
            return resolve(DnsResolution.defaults());
        }

        /**
         * The time source for endpoint latencies and {@link Selection#elapsedNanos()}. Default:
         * {@link Ticker#system()}; a manual ticker in tests.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The upstream, with a new group of its endpoints and a new selector from its load balancer.
         *
         * @throws IllegalStateException when no endpoint was added
         */
        public Upstream build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("upstream: no endpoint (expected: at least one endpoint(...) call)");
            }
            List<Endpoint> members = new ArrayList<>();
            List<Endpoint> names = new ArrayList<>();
            for (Endpoint endpoint : endpoints) {
                boolean byName = dnsResolution != null && endpoint.address() == null && !endpoint.hasIpLiteralHost();
                (byName ? names : members).add(endpoint);
            }
            EndpointGroup group = EndpointGroup.of(members, ticker, panicRouting, panicThreshold);
            EndpointSelector selector = loadBalancer.newSelector(group);
            if (selector == null) {
                throw new IllegalStateException("loadBalancer " + loadBalancer + " returned no selector");
            }
            return new Upstream(this, group, selector, names);
        }
    }
}
