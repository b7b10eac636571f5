package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpListenerTest {

    private static final Upstream DB = Upstream.of("http://10.0.0.5:5432");

    @Test
    void aTcpListenerHasDefaultsAndChecksItsValues() {
        TcpListener listener = TcpListener.of(5432, DB);

        assertThat(listener.host()).isEqualTo("0.0.0.0");
        assertThat(listener.idleTimeout()).isEqualTo(TcpListener.DEFAULT_IDLE_TIMEOUT);
        assertThat(listener.withHost("127.0.0.1").withIdleTimeout(Duration.ZERO).idleTimeout()).isZero();
        assertThatThrownBy(() -> TcpListener.of(70000, DB)).hasMessageContaining("port: 70000");
        assertThatThrownBy(() -> listener.withIdleTimeout(Duration.ofSeconds(-1))).hasMessageContaining("idleTimeout");
    }

    @Test
    void aConfigurationMayHaveTcpListenersOnlyAndThenNeedsNoRoutes() {
        ProxyConfig config = ProxyConfig.builder().tcp(TcpListener.of(0, DB)).build();

        assertThat(config.listeners()).isEmpty();
        assertThat(config.tcpListeners()).hasSize(1);
        assertThatThrownBy(() -> ProxyConfig.builder().build()).hasMessageContaining("listeners: none");
        assertThatThrownBy(() -> ProxyConfig.builder().listener(Listener.plain(0)).tcp(TcpListener.of(0, DB)).build())
                .as("an HTTP listener still needs routes").hasMessageContaining("routes: none");
    }

    @Test
    void aTcpListenersUpstreamMayChangeOnReconfigureButNotItsPort() {
        ProxyConfig running = ProxyConfig.builder().tcp(TcpListener.of(5432, DB)).build();

        assertThat(running.startTimeDifference(ProxyConfig.builder()
                .tcp(TcpListener.of(5432, Upstream.of("http://10.0.0.6:5432"))).build())).isEmpty();
        assertThat(running.startTimeDifference(ProxyConfig.builder().tcp(TcpListener.of(5433, DB)).build()))
                .contains("tcp[0]: 0.0.0.0:5433 (was 0.0.0.0:5432)");
        assertThat(running.startTimeDifference(ProxyConfig.builder().tcp(TcpListener.of(5432, DB))
                .tcp(TcpListener.of(6379, DB)).build())).contains("tcp: 2 (was 1)");
    }
}
