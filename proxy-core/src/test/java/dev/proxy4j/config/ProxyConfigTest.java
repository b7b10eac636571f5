package dev.proxy4j.config;

import dev.proxy4j.route.Timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.filter.HeaderRules;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.route.Route;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    private static ProxyConfig.Builder minimal() {
        return ProxyConfig.builder()
                .listener(Listener.plain(0))
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:9000"));
    }

    @Test
    void failsWithoutAListener() {
        ProxyConfig.Builder builder = ProxyConfig.builder().route(r -> r.upstream("http://127.0.0.1:9000"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("listeners: none (expected: at least one listen(...) call)");
    }

    @Test
    void failsWithoutARoute() {
        ProxyConfig.Builder builder = ProxyConfig.builder().listener(Listener.plain(8080));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("routes: none (expected: at least one route(...) call)");
    }

    @Test
    void hasNamedDefaults() {
        ProxyConfig config = minimal().build();

        assertThat(config.forwarding()).isSameAs(ForwardingPolicy.defaults());
        assertThat(config.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(config.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.filters()).isEmpty();
        assertThat(config.eventLoops()).isEqualTo(ProxyConfig.EVENT_LOOP_PER_PROCESSOR);
    }

    @Test
    void eventLoopsAreOnePerProcessorUnlessSet() {
        assertThat(minimal().build().eventLoops(6)).isEqualTo(6);
        assertThat(minimal().build().eventLoops(0)).isEqualTo(1);
        assertThat(minimal().eventLoops(1).build().eventLoops(6)).isEqualTo(1);
        assertThat(minimal().eventLoops(ProxyConfig.MAX_EVENT_LOOPS).build().eventLoops(2))
                .isEqualTo(ProxyConfig.MAX_EVENT_LOOPS);
        assertThatThrownBy(() -> ProxyConfig.builder().eventLoops(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventLoops: -1 (expected: 1 to 1024, or 0 for one per processor)");
        assertThatThrownBy(() -> ProxyConfig.builder().eventLoops(1025))
                .hasMessage("eventLoops: 1025 (expected: 1 to 1024, or 0 for one per processor)");
    }

    @Test
    void keepsListenersRoutesAndFiltersInTheOrderAdded() {
        Route first = Route.builder().name("first").upstream("http://127.0.0.1:9001").build();
        Route second = Route.builder().name("second").upstream("http://127.0.0.1:9002").build();
        ProxyFilter a = HeaderRules.builder().build();
        ProxyFilter b = HeaderRules.builder().build();

        ProxyConfig config = ProxyConfig.builder()
                .listener(Listener.plain(8080)).listener(Listener.plain(8081))
                .route(first).route(second)
                .filter(a).filter(b)
                .build();

        assertThat(config.listeners()).extracting(Listener::port).containsExactly(8080, 8081);
        assertThat(config.routes().routes()).containsExactly(first, second);
        assertThat(config.filters()).containsExactly(a, b);
    }

    @Test
    void timeoutsForARouteWithoutTimeoutsAreTheProxys() {
        ProxyConfig config = minimal().idleTimeout(Duration.ofSeconds(5)).build();
        Route route = config.routes().routes().get(0);

        assertThat(config.timeoutsFor(route))
                .isEqualTo(new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ZERO));
    }

    @Test
    void timeoutsForARouteTakeWhatTheRouteSetsAndTheProxysForTheRest() {
        Route route = Route.builder().idleTimeout(Duration.ofSeconds(3)).upstream("http://127.0.0.1:9000").build();
        ProxyConfig config = minimal()
                .responseHeadersTimeout(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(20))
                .totalTimeout(Duration.ofSeconds(30))
                .build();

        assertThat(config.timeoutsFor(route))
                .isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(30)));
    }

    @Test
    void timeoutsForARouteThatSetsEveryTimeoutAreTheRoutes() {
        Route route = Route.builder()
                .responseHeadersTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(2))
                .totalTimeout(Duration.ofSeconds(3))
                .upstream("http://127.0.0.1:9000")
                .build();
        ProxyConfig config = minimal().totalTimeout(Duration.ofSeconds(30)).build();

        assertThat(config.timeoutsFor(route))
                .isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @Test
    void rejectsNegativeTimeoutsAndTakesZeroForNoLimit() {
        assertThatThrownBy(() -> ProxyConfig.builder().idleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT-1S (expected: positive, or zero for no limit)");
        assertThat(minimal().responseHeadersTimeout(Duration.ZERO).build().timeouts().responseHeaders()).isZero();
        assertThatThrownBy(() -> ProxyConfig.builder().drainTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drainTimeout: PT-1S (expected: positive)");
    }

    @Test
    void limitsAreSetOneAtATime() {
        ProxyConfig config = minimal().maxRequestBodyBytes(Limits.UNLIMITED).maxRequestHeaderBytes(8192).build();

        assertThat(config.limits()).isEqualTo(new Limits(8192, Limits.UNLIMITED));
    }

    @Test
    void forwardingIsConfiguredOnTopOfWhatWasSetBefore() {
        ProxyConfig config = minimal()
                .forwarding(ForwardingPolicy.builder().emit(Set.of(ForwardedHeader.VIA)).build())
                .forwarding(f -> f.trustedProxies("10.0.0.0/8"))
                .build();

        assertThat(config.forwarding().emitted()).containsExactly(ForwardedHeader.VIA);
        assertThat(config.forwarding().isTrusted("10.1.2.3")).isTrue();
    }

    @Test
    void forwardingMayBeConfiguredAfterTurningEveryHeaderOff() {
        ProxyConfig config = minimal()
                .forwarding(f -> f.emit(Set.of()))
                .forwarding(f -> f.viaPseudonym("edge"))
                .build();

        assertThat(config.forwarding().emitted()).isEmpty();
        assertThat(config.forwarding().viaPseudonym()).isEqualTo("edge");
    }

    @Test
    void keepsIdleClientConnectionsSixtySecondsUnlessToldOtherwise() {
        assertThat(minimal().build().clientIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(minimal().clientIdleTimeout(Duration.ofSeconds(5)).build().clientIdleTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> ProxyConfig.builder().clientIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientIdleTimeout: PT0S (expected: positive)");
    }
}
