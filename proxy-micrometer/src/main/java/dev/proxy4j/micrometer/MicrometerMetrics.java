package dev.proxy4j.micrometer;

import dev.proxy4j.admin.ConnectionStats;
import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.admin.UpstreamStatus;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.metrics.ProxyMetrics;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.EndpointStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's metrics on a Micrometer {@link MeterRegistry}, fed by the request log (one record per
 * finished exchange, on the request's event loop: meters are looked up and recorded without a
 * lock of ours; Micrometer's counters and timers are lock-free once registered).
 *
 * <pre>{@code
 * MicrometerMetrics metrics = MicrometerMetrics.prometheus();
 * ProxyServer.builder().listen(8080).admin(9901).metrics(metrics)...  // GET 127.0.0.1:9901/metrics
 * }</pre>
 *
 * <p>Meters (Micrometer's names; Prometheus shows {@code http.server.requests} as
 * {@code http_server_requests_seconds_count}, {@code _sum}, {@code _max}):
 * <ul>
 *   <li>{@code http.server.requests} (timer, to the last byte): route, method, status (class), outcome, error
 *   <li>{@code http.server.time.to.first.byte} (timer): route, method, status
 *   <li>{@code http.server.request.size}, {@code http.server.response.size} (bytes of body): route, method
 *   <li>{@code http.client.requests} (timer, one per attempt at a backend, to its response head):
 *       upstream, endpoint, status (class), outcome, error
 *   <li>{@code http.client.connect} (timer, one per new backend connection): upstream, endpoint, result
 *       ({@code connected}, {@code failed})
 *   <li>{@code proxy.requests.rejected} (counter): route, reason (the {@link dev.proxy4j.log.Refusal} code)
 *   <li>{@code proxy.cache.requests} (counter): route, result (the {@link dev.proxy4j.log.CacheResult} code)
 *   <li>{@code proxy.upstream.retries}, {@code proxy.upstream.retry.budget.exhausted} (counters): upstream
 *   <li>{@code proxy.tunnels} (timer, a closed WebSocket or TCP tunnel's life), {@code proxy.tunnel.bytes}
 *       (bytes, direction {@code in} from the client or {@code out} to it): kind ({@code websocket}, {@code tcp}), upstream
 *   <li>gauges read at each scrape: {@code proxy.requests.in.flight}, {@code proxy.ready}, {@code proxy.tunnels.open},
 *       {@code proxy.upstream.endpoint.in.flight}, {@code proxy.upstream.endpoint.weight},
 *       {@code proxy.upstream.endpoint.healthy}, {@code .ejected}, {@code .selectable} (upstream, endpoint),
 *       {@code proxy.upstream.connections} (upstream, state {@code active} or {@code idle}),
 *       {@code proxy.upstream.pending} (upstream: requests queued for a connection)
 * </ul>
 * Tag values are bounded: route and upstream names and endpoints come from the configuration,
 * methods outside the standard ones are {@code OTHER}, statuses are classes ({@code 2xx}).
 */
public final class MicrometerMetrics implements ProxyMetrics {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MeterRegistry registry;
    private final Object gauges = new Object();
    private volatile @Nullable ProxyStatus status;
    private @Nullable MultiGauge endpointInFlight;
    private @Nullable MultiGauge endpointWeight;
    private @Nullable MultiGauge endpointHealthy;
    private @Nullable MultiGauge endpointEjected;
    private @Nullable MultiGauge endpointSelectable;
    private @Nullable MultiGauge connections;
    private @Nullable MultiGauge pending;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Metrics on a Prometheus registry of their own, scraped by the admin endpoint's {@code /metrics}. */
    public static MicrometerMetrics prometheus() {
        return new MicrometerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Metrics on the application's registry; {@link #scrape()} works when it is a {@link PrometheusMeterRegistry}. */
    public static MicrometerMetrics of(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void bind(ProxyStatus status) {
        synchronized (gauges) {
            if (this.status != null) {
                throw new IllegalStateException("metrics are already bound to a proxy (expected: one MicrometerMetrics per proxy)");
            }
            this.status = status;
            Gauge.builder("proxy.requests.in.flight", status, ProxyStatus::inFlightRequests)
                    .description("Requests being handled now").register(registry);
            Gauge.builder("proxy.tunnels.open", status, ProxyStatus::openTunnels)
                    .description("WebSocket and TCP tunnels open now").register(registry);
            Gauge.builder("proxy.ready", status, s -> s.isReady() ? 1 : 0)
                    .description("1 while the proxy serves, 0 while it starts or drains").register(registry);
            endpointInFlight = MultiGauge.builder("proxy.upstream.endpoint.in.flight")
                    .description("Selections in flight on an endpoint").register(registry);
            endpointWeight = MultiGauge.builder("proxy.upstream.endpoint.weight")
                    .description("An endpoint's weight").register(registry);
            endpointHealthy = MultiGauge.builder("proxy.upstream.endpoint.healthy")
                    .description("1 while an endpoint is healthy (health checks), 0 while unhealthy").register(registry);
            endpointEjected = MultiGauge.builder("proxy.upstream.endpoint.ejected")
                    .description("1 while outlier detection has an endpoint ejected, else 0").register(registry);
            endpointSelectable = MultiGauge.builder("proxy.upstream.endpoint.selectable")
                    .description("1 while a request would be sent to an endpoint (panic routing included), else 0")
                    .register(registry);
            connections = MultiGauge.builder("proxy.upstream.connections")
                    .description("Pooled backend connections by state").register(registry);
            pending = MultiGauge.builder("proxy.upstream.pending")
                    .description("Requests queued for a backend connection").register(registry);
        }
    }

    @Override
    public void onRequestComplete(RequestLog log) {
        String method = TagValues.method(log.method());
        if (method.equals("TUNNEL") || method.equals("TCP")) {
            tunnel(log, method.equals("TCP") ? "tcp" : "websocket");
            return;
        }
        String route = log.route().orElse(TagValues.NONE);
        String status = TagValues.statusClass(log.status());
        Timer.builder("http.server.requests")
                .description("Requests the proxy answered, to the last byte")
                .tags("route", route, "method", method, "status", status, "outcome", TagValues.outcome(log.status()),
                        "error", TagValues.error(log))
                .register(registry)
                .record(Math.max(0, log.durationNanos()), TimeUnit.NANOSECONDS);
        if (log.firstByteNanos() >= 0) {
            Timer.builder("http.server.time.to.first.byte")
                    .description("From the request read to the response head going out")
                    .tags("route", route, "method", method, "status", status)
                    .register(registry)
                    .record(log.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
        DistributionSummary.builder("http.server.request.size").baseUnit("bytes")
                .description("Request body bytes read from the client")
                .tags("route", route, "method", method).register(registry).record(log.requestBodyBytes());
        DistributionSummary.builder("http.server.response.size").baseUnit("bytes")
                .description("Response body bytes sent to the client")
                .tags("route", route, "method", method).register(registry).record(log.responseBodyBytes());
        log.refusal().ifPresent(refusal -> Counter.builder("proxy.requests.rejected")
                .description("Requests the proxy refused itself, by reason (at the door, or a filter's: rate limit, "
                        + "IP rule, API key, JWT, ...)")
                .tags("route", route, "reason", refusal.code()).register(registry).increment());
        log.cacheResult().ifPresent(result -> Counter.builder("proxy.cache.requests")
                .description("Requests on routes with the shared cache, by what the cache did")
                .tags("route", route, "result", result.code()).register(registry).increment());
        String upstream = log.upstream().orElse(TagValues.NONE);
        int retries = log.attempts().size() - 1;
        if (retries > 0) {
            Counter.builder("proxy.upstream.retries").description("Attempts at a backend after a request's first")
                    .tags("upstream", upstream).register(registry).increment(retries);
        }
        if (log.retryBudgetSpent()) {
            Counter.builder("proxy.upstream.retry.budget.exhausted")
                    .description("Requests whose retry the policy allowed but the upstream's retry budget refused")
                    .tags("upstream", upstream).register(registry).increment();
        }
        for (Attempt attempt : log.attempts()) {
            Timer.builder("http.client.requests")
                    .description("Attempts at a backend, to its response head or failure")
                    .tags("upstream", upstream, "endpoint", attempt.endpoint().authority(),
                            "status", TagValues.statusClass(attempt.status()), "outcome", TagValues.outcome(attempt.status()),
                            "error", attempt.failure().map(k -> k.name().toLowerCase(java.util.Locale.ROOT))
                                    .orElse(TagValues.NONE))
                    .register(registry)
                    .record(Math.max(0, attempt.durationNanos()), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onBackendConnect(String upstream, String endpoint, long nanos, boolean connected) {
        Timer.builder("http.client.connect")
                .description("TCP connects to backends (a new pooled connection), to connected or failed")
                .tags("upstream", upstream, "endpoint", endpoint, "result", connected ? "connected" : "failed")
                .register(registry)
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    private void tunnel(RequestLog log, String kind) {
        String upstream = log.upstream().orElse(TagValues.NONE);
        Timer.builder("proxy.tunnels").description("Closed tunnels (WebSocket, TCP), over their life")
                .tags("kind", kind, "upstream", upstream)
                .register(registry).record(Math.max(0, log.durationNanos()), TimeUnit.NANOSECONDS);
        DistributionSummary.builder("proxy.tunnel.bytes").baseUnit("bytes").description("Bytes through closed tunnels")
                .tags("kind", kind, "upstream", upstream, "direction", "in").register(registry)
                .record(log.requestBodyBytes());
        DistributionSummary.builder("proxy.tunnel.bytes").baseUnit("bytes").description("Bytes through closed tunnels")
                .tags("kind", kind, "upstream", upstream, "direction", "out").register(registry)
                .record(log.responseBodyBytes());
    }

    @Override
    public String contentType() {
        return PROMETHEUS_TEXT;
    }

    /**
     * The Prometheus text of every meter, the gauges read from the proxy first.
     *
     * @throws UnsupportedOperationException when the registry is not a {@link PrometheusMeterRegistry}
     */
    @Override
    public String scrape() {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw new UnsupportedOperationException("scrape: a " + registry.getClass().getSimpleName()
                    + " (expected: a PrometheusMeterRegistry)");
        }
        refreshGauges();
        return prometheus.scrape();
    }

    /** Reads the proxy's upstreams into the multi-gauges; at each scrape, off the event loops. */
    public void refreshGauges() {
        synchronized (gauges) {
            ProxyStatus bound = status;
            if (bound == null || endpointInFlight == null || endpointWeight == null || connections == null
                    || pending == null || endpointHealthy == null || endpointEjected == null
                    || endpointSelectable == null) {
                return;
            }
            List<MultiGauge.Row<?>> inFlight = new ArrayList<>();
            List<MultiGauge.Row<?>> weights = new ArrayList<>();
            List<MultiGauge.Row<?>> healthy = new ArrayList<>();
            List<MultiGauge.Row<?>> ejected = new ArrayList<>();
            List<MultiGauge.Row<?>> selectable = new ArrayList<>();
            List<MultiGauge.Row<?>> pools = new ArrayList<>();
            List<MultiGauge.Row<?>> queued = new ArrayList<>();
            for (UpstreamStatus upstream : bound.upstreams()) {
                for (EndpointStatus endpoint : upstream.endpoints()) {
                    // The addresses of one resolved name are one row each: the name's authority and the address.
                    java.net.InetAddress address = endpoint.endpoint().address();
                    Tags tags = Tags.of("upstream", upstream.name(), "endpoint", address == null
                            ? endpoint.endpoint().authority() : endpoint.endpoint().authority() + '@' + address.getHostAddress());
                    inFlight.add(MultiGauge.Row.of(tags, endpoint.inFlight()));
                    weights.add(MultiGauge.Row.of(tags, endpoint.endpoint().weight()));
                    healthy.add(MultiGauge.Row.of(tags, endpoint.health() == EndpointState.Health.HEALTHY ? 1 : 0));
                    ejected.add(MultiGauge.Row.of(tags, endpoint.ejected() ? 1 : 0));
                    selectable.add(MultiGauge.Row.of(tags, endpoint.selectable() ? 1 : 0));
                }
                ConnectionStats pool = upstream.connections();
                pools.add(MultiGauge.Row.of(Tags.of("upstream", upstream.name(), "state", "active"), pool.active()));
                pools.add(MultiGauge.Row.of(Tags.of("upstream", upstream.name(), "state", "idle"), pool.idle()));
                queued.add(MultiGauge.Row.of(Tags.of("upstream", upstream.name()), pool.pending()));
            }
            endpointInFlight.register(inFlight, true);
            endpointWeight.register(weights, true);
            endpointHealthy.register(healthy, true);
            endpointEjected.register(ejected, true);
            endpointSelectable.register(selectable, true);
            connections.register(pools, true);
            pending.register(queued, true);
        }
    }

    /** As {@code http.client.requests} names the endpoint. */
    @Override
    public String toString() {
        return "MicrometerMetrics[" + registry.getClass().getSimpleName() + ']';
    }
}
