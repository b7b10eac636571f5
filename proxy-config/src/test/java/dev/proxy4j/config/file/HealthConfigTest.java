package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An upstream's {@code healthCheck}, {@code outlierDetection} and {@code panicRouting}. */
class HealthConfigTest {

    private static Upstream upstream(String settings) {
        ProxyConfig config = ConfigFile.parse("listeners: [{port: 8080}]\nupstreams:\n  api:\n"
                + "    endpoints: [http://127.0.0.1:9001, http://127.0.0.1:9002]\n"
                + settings.indent(4) + "routes: [{upstream: api}]\n");
        return config.upstreams().get(0);
    }

    private static void refused(String settings, String message) {
        assertThatThrownBy(() -> upstream(settings)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void hasNoHealthCheckNorOutlierDetectionAndRoutesInPanicByDefault() {
        Upstream upstream = upstream("");

        assertThat(upstream.healthCheck()).isEmpty();
        assertThat(upstream.outlierDetection()).isEmpty();
        assertThat(upstream.panicRouting()).isTrue();
    }

    @Test
    void takesAPathAloneForAHealthCheckWithEveryDefault() {
        assertThat(upstream("healthCheck: /health").healthCheck()).contains(HealthCheck.of("/health"));
    }

    @Test
    void takesTcpAloneOrTypeTcpForATcpConnectCheck() {
        assertThat(upstream("healthCheck: tcp").healthCheck()).contains(HealthCheck.tcp());
        assertThat(upstream("healthCheck: {type: tcp, interval: 2s, timeout: 500ms, rise: 1, fall: 4, jitterPercent: 0}")
                .healthCheck()).contains(HealthCheck.tcpBuilder().interval(Duration.ofSeconds(2))
                        .timeout(Duration.ofMillis(500)).rise(1).fall(4).jitterPercent(0).build());
        assertThat(upstream("healthCheck: {type: http, path: /h}").healthCheck()).contains(HealthCheck.of("/h"));
    }

    @Test
    void aTcpListenersInlineUpstreamTakesAHealthCheck() {
        ProxyConfig config = ConfigFile.parse("tcp:\n  - port: 5432\n    upstream: {endpoints: [http://10.0.0.5:5432,"
                + " http://10.0.0.6:5432], healthCheck: {type: tcp, fall: 2}}\n");

        assertThat(config.tcpListeners().get(0).upstream().healthCheck())
                .contains(HealthCheck.tcpBuilder().fall(2).build());
    }

    @Test
    void takesEveryHealthCheckSetting() {
        HealthCheck check = upstream("""
                healthCheck:
                  path: /status?full=0
                  interval: 500ms
                  timeout: 2s
                  rise: 3
                  fall: 5
                  statuses: [200, "204-206"]
                  host: health.internal
                  jitterPercent: 0
                """).healthCheck().orElseThrow();

        assertThat(check).isEqualTo(HealthCheck.builder("/status?full=0").interval(Duration.ofMillis(500))
                .timeout(Duration.ofSeconds(2)).rise(3).fall(5).expectedStatuses("200", "204-206")
                .host("health.internal").jitterPercent(0).build());
        assertThat(upstream("healthCheck: {path: /h, statuses: \"200-299,302\"}").healthCheck().orElseThrow()
                .expectedStatuses()).hasToString("[200-299, 302]");
    }

    @Test
    void takesTrueForEnvoysOutlierDetectionOrAMappingOfWhatDiffers() {
        assertThat(upstream("outlierDetection: true").outlierDetection()).contains(OutlierDetection.defaults());
        assertThat(upstream("outlierDetection: false").outlierDetection()).isEmpty();
        assertThat(upstream("""
                outlierDetection:
                  consecutive5xx: 0
                  consecutiveGatewayFailures: 3
                  interval: 1s
                  baseEjectionTime: 10s
                  maxEjectionTime: 1m
                  maxEjectionPercent: 50
                """).outlierDetection()).contains(new OutlierDetection(0, 3, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofMinutes(1), 50));
    }

    @Test
    void takesPanicRoutingOff() {
        assertThat(upstream("panicRouting: false").panicRouting()).isFalse();
    }

    @Test
    void readsAPanicThreshold() {
        assertThat(upstream("panicThreshold: 50").panicThreshold()).isEqualTo(50);
        assertThat(upstream("panicRouting: true").panicThreshold()).isZero();
        refused("panicThreshold: 150", "upstreams.api.panicThreshold: 150 (expected: a whole number 0..100)");
        refused("panicThreshold: 50\npanicRouting: false",
                "upstreams.api.panicThreshold: 50 (expected: 0 when panicRouting is false)");
    }

    @Test
    void namesTheFieldAndTheValueThatAreWrong() {
        refused("healthCheck: health", "upstreams.api.healthCheck: \"health\" (expected: an absolute path such as /health)");
        refused("healthCheck: {interval: 1s}", "upstreams.api.healthCheck.path: missing (expected: a value)");
        refused("healthCheck: {path: /h, interval: 0}", "upstreams.api.healthCheck.interval: PT0S (expected: positive)");
        refused("healthCheck: {path: /h, rise: 0}", "upstreams.api.healthCheck.rise: 0 (expected: a whole number 1..100)");
        refused("healthCheck: {path: /h, statuses: [2xx]}",
                "upstreams.api.healthCheck.statuses: \"2xx\" (expected: a status such as 200 or a range such as 200-399)");
        refused("healthCheck: {path: /h, every: 1s}", "upstreams.api.healthCheck.every: unknown key (expected: one of"
                + " type, path, interval, timeout, rise, fall, statuses, host, jitterPercent)");
        refused("healthCheck: {type: udp}", "upstreams.api.healthCheck.type: \"udp\" (expected: one of http, tcp)");
        refused("healthCheck: {type: tcp, path: /h}",
                "upstreams.api.healthCheck.path: \"/h\" (expected: no path for a TCP check, which sends no request)");
        refused("healthCheck: {type: tcp, statuses: 200}",
                "upstreams.api.healthCheck.statuses: 200 (expected: no statuses for a TCP check, which sends no request)");
        refused("outlierDetection: yes please",
                "upstreams.api.outlierDetection: \"yes please\" (expected: true or false)");
        refused("outlierDetection: {maxEjectionPercent: 200}",
                "upstreams.api.outlierDetection.maxEjectionPercent: 200 (expected: a whole number 0..100)");
        refused("outlierDetection: {baseEjectionTime: 0}",
                "upstreams.api.outlierDetection.baseEjectionTime: PT0S (expected: positive)");
        refused("panicRouting: sometimes", "upstreams.api.panicRouting: \"sometimes\" (expected: true or false)");
    }
}
