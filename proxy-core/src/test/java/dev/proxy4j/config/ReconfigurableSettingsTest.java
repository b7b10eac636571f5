package dev.proxy4j.config;

import dev.proxy4j.route.Timeouts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.AccessLog;
import dev.proxy4j.log.RequestLogListener;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconfigurableSettingsTest {

    private static ProxyConfig.Builder base() {
        return ProxyConfig.builder().listener(Listener.plain(8080)).route(r -> r.upstream("http://127.0.0.1:9000"));
    }

    @Test
    void routesTimeoutsAndBodyLimitsCanChangeWhileRunning() {
        ProxyConfig running = base().build();
        ProxyConfig next = base()
                .route(r -> r.pathPrefix("/v2").upstream("http://127.0.0.1:9001"))
                .totalTimeout(Duration.ofSeconds(3))
                .maxRequestBodyBytes(1024)
                .build();

        assertThat(running.startTimeDifference(next)).isEmpty();
    }

    @Test
    void listenersAndConnectionSettingsAreFixedAtStart() {
        ProxyConfig running = base().build();

        assertThat(running.startTimeDifference(ProxyConfig.builder().listener(Listener.plain(8081))
                .route(r -> r.upstream("http://127.0.0.1:9000")).build()))
                .contains("listeners[0].port: 8081 (was 8080)");
        assertThat(running.startTimeDifference(base().listener(Listener.plain(8082)).build()))
                .contains("listeners: 2 (was 1)");
        assertThat(running.startTimeDifference(base().maxRequestHeaderBytes(4096).build()))
                .contains("maxRequestHeaderBytes: 4096 (was 16384)");
        assertThat(running.startTimeDifference(base().h2cUpgrade(true).build()))
                .contains("h2cUpgrade: true (was false)");
        assertThat(running.startTimeDifference(base().allowTrace(true).maxRequestHeaderCount(5)
                .escapedSlashes(EscapedSlashes.DECODE).build())).isEmpty();
        assertThat(running.startTimeDifference(base().clientIdleTimeout(Duration.ofSeconds(5)).build()))
                .contains("clientIdleTimeout: PT5S (was PT1M)");
        assertThat(running.startTimeDifference(base().drainTimeout(Duration.ofSeconds(5)).build()))
                .contains("drainTimeout: PT5S (was PT30S)");
        assertThat(running.startTimeDifference(base().eventLoops(2).build()))
                .contains("eventLoops: 2 (was auto)");
        assertThat(base().eventLoops(2).build().startTimeDifference(base().build()))
                .contains("eventLoops: auto (was 2)");
    }

    @Test
    void upstreamsAreListedOnceEachInTheOrderFirstNamed() {
        Upstream shared = Upstream.of("http://127.0.0.1:9001");
        Upstream other = Upstream.of("http://127.0.0.1:9002");
        ProxyConfig config = ProxyConfig.builder().listener(Listener.plain(0))
                .route(r -> r.pathPrefix("/a").upstream(shared))
                .route(r -> r.pathPrefix("/b").split(s -> s.upstream(other, 1).upstream(shared, 1)))
                .route(r -> r.pathPrefix("/c").upstream(shared))
                .build();

        assertThat(config.upstreams()).containsExactly(shared, other);
    }

    @Test
    void theAccessLogIsTheFirstListenerUnlessTurnedOff() {
        RequestLogListener metrics = log -> { };

        assertThat(base().requestLogListener(metrics).build().requestLogListeners())
                .containsExactly(AccessLog.listener(), metrics);
        assertThat(base().accessLog(false).requestLogListener(metrics).build().requestLogListeners())
                .containsExactly(metrics);
    }
}
