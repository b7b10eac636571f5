package dev.proxy4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.Refusal;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.metrics.ProxyMetricsProvider;
import dev.proxy4j.testkit.ManualClock;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What one request log becomes in the registry, with time moved by hand. */
class MicrometerMetricsTest {

    private final ManualClock clock = ManualClock.at(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerMetrics metrics = MicrometerMetrics.of(registry);

    private RequestLogBuilder log(String method, String route) {
        RequestLogBuilder log = new RequestLogBuilder("id", "127.0.0.1", method, "/x", "HTTP/1.1", 0, clock, clock.nanos());
        if (route != null) {
            log.route(route);
        }
        return log;
    }

    @Test
    void aRequestIsTimedToItsLastAndFirstByteWithItsSizes() {
        RequestLogBuilder log = log("GET", "api").upstream("api").status(200).addRequestBodyBytes(3)
                .addResponseBodyBytes(40);
        log.attempt(new Attempt(Endpoint.of("http://10.0.0.1:8080"), 200, null, TimeUnit.MILLISECONDS.toNanos(4)));
        clock.advance(java.time.Duration.ofMillis(5));
        log.firstByte();
        clock.advance(java.time.Duration.ofMillis(7));
        log.end(List.of(metrics));

        assertThat(registry.get("http.server.requests").tags("route", "api", "method", "GET", "status", "2xx",
                "outcome", "SUCCESS", "error", "none").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(registry.get("http.server.time.to.first.byte").tags("route", "api").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
        assertThat(registry.get("http.server.request.size").summary().totalAmount()).isEqualTo(3);
        assertThat(registry.get("http.server.response.size").summary().totalAmount()).isEqualTo(40);
        assertThat(registry.get("http.client.requests").tags("upstream", "api", "endpoint", "10.0.0.1:8080",
                "status", "2xx").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4);
    }

    @Test
    void tagValuesAreBounded() {
        log("BREW", null).status(404).end(List.of(metrics));
        log("GET", "api").refusal(Refusal.ESCAPED_SLASH).status(400).end(List.of(metrics));
        log("GET", "api").failure(UpstreamFailure.Kind.RESPONSE_TIMEOUT).status(504).end(List.of(metrics));

        assertThat(registry.get("http.server.requests").tags("method", "OTHER", "route", "none", "status", "4xx",
                "outcome", "CLIENT_ERROR").timer().count()).isEqualTo(1);
        assertThat(registry.get("http.server.requests").tags("error", "escaped_slash").timer().count()).isEqualTo(1);
        assertThat(registry.get("http.server.requests").tags("error", "response_timeout", "status", "5xx",
                "outcome", "SERVER_ERROR").timer().count()).isEqualTo(1);
    }

    @Test
    void tunnelsAndTcpConnectionsAreTheirOwnMeters() {
        RequestLogBuilder tunnel = log("TUNNEL", "ws").upstream("chat").addRequestBodyBytes(10).addResponseBodyBytes(20);
        clock.advance(java.time.Duration.ofSeconds(3));
        tunnel.end(List.of(metrics));
        log("TCP", null).upstream("db").end(List.of(metrics));

        assertThat(registry.get("proxy.tunnels").tags("kind", "websocket", "upstream", "chat").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(registry.get("proxy.tunnel.bytes").tags("direction", "in").tags("upstream", "chat").summary()
                .totalAmount()).isEqualTo(10);
        assertThat(registry.get("proxy.tunnels").tags("kind", "tcp", "upstream", "db").timer().count()).isEqualTo(1);
        assertThat(registry.find("http.server.requests").timer()).isNull();
    }

    @Test
    void onlyAPrometheusRegistryIsScraped() {
        assertThatThrownBy(metrics::scrape)
                .hasMessage("scrape: a SimpleMeterRegistry (expected: a PrometheusMeterRegistry)");
        assertThat(MicrometerMetrics.prometheus().scrape()).isEmpty();
    }

    @Test
    void aConfigFileFindsThePrometheusProvider() {
        assertThat(ProxyMetricsProvider.create("prometheus")).isInstanceOf(MicrometerMetrics.class);
        assertThatThrownBy(() -> ProxyMetricsProvider.create("statsd"))
                .hasMessage("metrics: statsd (expected: one of prometheus)");
    }

    @Test
    void endpointGaugesSayHealthEjectionAndWhetherTheEndpointIsChosen() {
        dev.proxy4j.upstream.EndpointStatus up = new dev.proxy4j.upstream.EndpointStatus(Endpoint.of("http://10.0.0.1:8080"),
                dev.proxy4j.upstream.EndpointState.Health.HEALTHY, false, java.util.Optional.empty(), 0, true, false, 2, 0, 0,
                java.util.Optional.empty());
        dev.proxy4j.upstream.EndpointStatus out = new dev.proxy4j.upstream.EndpointStatus(Endpoint.of("http://10.0.0.2:8080"),
                dev.proxy4j.upstream.EndpointState.Health.UNHEALTHY, true,
                java.util.Optional.of(java.time.Duration.ofSeconds(30)), 1, false, false, 0, 5, 5, java.util.Optional.empty());
        dev.proxy4j.admin.UpstreamStatus upstream = new dev.proxy4j.admin.UpstreamStatus("api", "roundRobin",
                List.of(up, out), new dev.proxy4j.admin.ConnectionStats(1, 2, 0));
        metrics.bind(new dev.proxy4j.admin.ProxyStatus() {
            @Override public dev.proxy4j.config.ProxyConfig config() { throw new UnsupportedOperationException(); }
            @Override public boolean isReady() { return true; }
            @Override public boolean isDraining() { return false; }
            @Override public long inFlightRequests() { return 0; }
            @Override public int openTunnels() { return 0; }
            @Override public List<dev.proxy4j.admin.UpstreamStatus> upstreams() { return List.of(upstream); }
        });

        metrics.refreshGauges();

        for (String[] expected : new String[][] {
                {"proxy.upstream.endpoint.healthy", "10.0.0.1:8080", "1"}, {"proxy.upstream.endpoint.healthy", "10.0.0.2:8080", "0"},
                {"proxy.upstream.endpoint.ejected", "10.0.0.1:8080", "0"}, {"proxy.upstream.endpoint.ejected", "10.0.0.2:8080", "1"},
                {"proxy.upstream.endpoint.selectable", "10.0.0.1:8080", "1"},
                {"proxy.upstream.endpoint.selectable", "10.0.0.2:8080", "0"},
                {"proxy.upstream.endpoint.in.flight", "10.0.0.1:8080", "2"}}) {
            assertThat(registry.get(expected[0]).tags("upstream", "api", "endpoint", expected[1]).gauge().value())
                    .as(expected[0] + " " + expected[1]).isEqualTo(Double.parseDouble(expected[2]));
        }
    }
}
