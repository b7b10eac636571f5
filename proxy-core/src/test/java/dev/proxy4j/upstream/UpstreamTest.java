package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamTest {

    @Test
    void hasExplicitDefaults() {
        Upstream upstream = Upstream.builder().endpoint("http://10.0.0.1:8080").build();

        assertThat(upstream.loadBalancer()).isSameAs(LoadBalancer.weightedRoundRobin());
        assertThat(upstream.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(upstream.maxConnectionsPerEndpoint()).isEqualTo(256);
        assertThat(upstream.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(upstream.protocol()).isEqualTo(UpstreamProtocol.HTTP_1_1);
        assertThat(upstream.name()).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void keepsEverySettingItWasGiven() {
        LoadBalancer roundRobin = LoadBalancer.roundRobin();
        Upstream upstream = Upstream.builder()
                .name("api")
                .endpoint("http://10.0.0.1:8080", 3)
                .endpoint(Endpoint.of("http://10.0.0.2:8080"))
                .loadBalancer(roundRobin)
                .connectTimeout(Duration.ofMillis(250))
                .maxConnectionsPerEndpoint(8)
                .idleTimeout(Duration.ofSeconds(20))
                .protocol(UpstreamProtocol.HTTP_2)
                .build();

        assertThat(upstream.name()).isEqualTo("api");
        assertThat(upstream.endpoints()).containsExactly(
                Endpoint.of("http://10.0.0.1:8080", 3), Endpoint.of("http://10.0.0.2:8080"));
        assertThat(upstream.loadBalancer()).isSameAs(roundRobin);
        assertThat(upstream.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(upstream.maxConnectionsPerEndpoint()).isEqualTo(8);
        assertThat(upstream.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(upstream.protocol()).isEqualTo(UpstreamProtocol.HTTP_2);
    }

    @Test
    void isNamedAfterItsFirstEndpointsAuthorityUnlessNamed() {
        assertThat(Upstream.of("https://api.internal", "https://api-2.internal").name()).isEqualTo("api.internal");
    }

    @Test
    void makesOneSelectorFromItsLoadBalancerWhenBuilt() {
        Upstream upstream = Upstream.of("http://a:1", "http://b:1");

        assertThat(upstream.selector()).isSameAs(upstream.selector());
        assertThat(Picks.pick(upstream.selector()).host()).isEqualTo("a");
        assertThat(Picks.pick(upstream.selector()).host()).isEqualTo("b");
    }

    @Test
    void makesAnUpstreamOfEqualEndpointsFromUris() {
        Upstream upstream = Upstream.of("http://a:1", "https://b");

        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://a:1"), Endpoint.of("https://b"));
    }

    @Test
    void handsOutAnUnmodifiableListOfEndpoints() {
        Upstream upstream = Upstream.of("http://a:1");

        assertThatThrownBy(() -> upstream.endpoints().add(Endpoint.of("http://b:1")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesItselfIntoABuilderThatMayChangeEachSettingOnce() {
        Upstream original = Upstream.builder()
                .name("api")
                .endpoint("http://a:1", 2)
                .loadBalancer(LoadBalancer.roundRobin())
                .connectTimeout(Duration.ofSeconds(1))
                .protocol(UpstreamProtocol.HTTP_2)
                .build();

        Upstream copy = original.toBuilder()
                .endpoint("http://b:1")
                .loadBalancer(LoadBalancer.weightedRoundRobin())
                .idleTimeout(Duration.ofSeconds(9))
                .build();

        assertThat(copy.name()).isEqualTo("api");
        assertThat(copy.endpoints()).containsExactly(Endpoint.of("http://a:1", 2), Endpoint.of("http://b:1"));
        assertThat(copy.loadBalancer()).isSameAs(LoadBalancer.weightedRoundRobin());
        assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(copy.idleTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(copy.protocol()).isEqualTo(UpstreamProtocol.HTTP_2);
        assertThat(copy.selector()).isNotSameAs(original.selector());
        assertThat(original.endpoints()).containsExactly(Endpoint.of("http://a:1", 2));
    }

    @Test
    void refusesAnUpstreamWithoutEndpoints() {
        assertThatThrownBy(() -> Upstream.builder().name("api").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("upstream: no endpoint (expected: at least one endpoint(...) call)");
        assertThatThrownBy(Upstream::of)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("upstream: no endpoint (expected: at least one endpoint(...) call)");
    }

    @Test
    void refusesTheSameEndpointTwice() {
        assertThatThrownBy(() -> Upstream.builder().endpoint("http://a:1").endpoint("http://a:1", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: \"http://a:1\" (expected: each endpoint once)");
    }

    @Test
    void refusesTheSameServerSpelledAnotherWay() {
        assertThatThrownBy(() -> Upstream.builder().endpoint("http://a").endpoint("HTTP://A:80/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: \"HTTP://A:80/\" (expected: each endpoint once)");
    }

    @Test
    void acceptsTheSameHostAndPortOverHttpAndHttps() {
        Upstream upstream = Upstream.of("http://a:8080", "https://a:8080");

        assertThat(upstream.endpoints()).hasSize(2);
    }

    @Test
    void refusesASecondLoadBalancerNamingTheFirst() {
        Upstream.Builder builder = Upstream.builder().loadBalancer(LoadBalancer.roundRobin());

        assertThatThrownBy(() -> builder.loadBalancer(LoadBalancer.weightedRoundRobin()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("loadBalancer was already set to roundRobin");
    }

    @Test
    void refusesALoadBalancerThatMakesNoSelector() {
        LoadBalancer broken = new LoadBalancer() {
            @Override
            public EndpointSelector newSelector(EndpointGroup group) {
                return null;
            }

            @Override
            public String toString() {
                return "broken";
            }
        };

        assertThatThrownBy(() -> Upstream.builder().endpoint("http://a:1").loadBalancer(broken).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("loadBalancer broken returned no selector");
    }

    @Test
    void refusesAConnectTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> Upstream.builder().connectTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout: PT-1S (expected: positive)");
        assertThatThrownBy(() -> Upstream.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout: PT0S (expected: positive)");
    }

    @Test
    void refusesAnIdleTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> Upstream.builder().idleTimeout(Duration.ofMillis(-500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT-0.5S (expected: positive)");
        assertThatThrownBy(() -> Upstream.builder().idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout: PT0S (expected: positive)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesAConnectionLimitThatIsNotPositive(int max) {
        assertThatThrownBy(() -> Upstream.builder().maxConnectionsPerEndpoint(max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnectionsPerEndpoint: " + max + " (expected: > 0)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void refusesABlankName(String name) {
        assertThatThrownBy(() -> Upstream.builder().name(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: \"" + name + "\" (expected: not blank)");
    }

    @Test
    void refusesNullSettingsNamingThem() {
        Upstream.Builder builder = Upstream.builder();

        assertThatThrownBy(() -> builder.connectTimeout(nothing())).hasMessage("connectTimeout");
        assertThatThrownBy(() -> builder.protocol(nothing())).hasMessage("protocol");
        assertThatThrownBy(() -> builder.loadBalancer(nothing())).hasMessage("loadBalancer");
    }

    @SuppressWarnings("unchecked")
    private static <T> T nothing() {
        return (T) null;
    }

    @Test
    void keepsTheRetryPolicyItWasGivenAndCopiesIt() {
        RetryPolicy policy = RetryPolicy.builder().retryOnStatuses(503).build();
        Upstream upstream = Upstream.builder().endpoint("http://a:1").retryPolicy(policy).build();

        assertThat(upstream.retryPolicy()).isSameAs(policy);
        assertThat(upstream.toBuilder().build().retryPolicy()).isSameAs(policy);
    }

    @Test
    void copiesTheGroupsEndpointsAsTheyAreNowIntoANewGroup() {
        Upstream original = Upstream.of("http://a:1", "http://b:1");
        original.group().remove(Endpoint.of("http://a:1"));

        Upstream copy = original.toBuilder().build();

        assertThat(copy.endpoints()).containsExactly(Endpoint.of("http://b:1"));
        assertThat(copy.group()).isNotSameAs(original.group());
    }

    @Test
    void selectsNothingWhenEveryEndpointIsExcluded() {
        Upstream upstream = Upstream.of("http://a:1", "http://b:1");

        assertThat(upstream.select(Picks.CTX, Picks.REQUEST,
                Set.of(Endpoint.of("http://a:1"), Endpoint.of("http://b:1")))).isEmpty();
        assertThat(upstream.retryBudget().activeRequests()).isZero();
    }

    @Test
    void failsLoudlyWhenTheSelectorChoosesAnExcludedEndpoint() {
        LoadBalancer careless = new LoadBalancer() {
            @Override
            public EndpointSelector newSelector(EndpointGroup group) {
                return (ctx, request, excluded) -> group.snapshot().members().get(0);
            }
        };
        Upstream upstream = Upstream.builder().endpoint("http://a:1").endpoint("http://b:1").loadBalancer(careless)
                .build();

        assertThatThrownBy(() -> upstream.select(Picks.CTX, Picks.REQUEST, Set.of(Endpoint.of("http://a:1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chose http://a:1, which is excluded (expected: an endpoint not in [http://a:1])");
    }

    @Test
    void sendsNoProxyProtocolHeaderByDefaultAndACopyKeepsTheOneSet() {
        assertThat(Upstream.of("http://a:1").proxyProtocol()).isEmpty();

        Upstream sending = Upstream.builder().endpoint("http://a:1").proxyProtocol(dev.proxy4j.forward.ProxyProtocol.V2).build();

        assertThat(sending.proxyProtocol()).contains(dev.proxy4j.forward.ProxyProtocol.V2);
        assertThat(sending.toBuilder().build().proxyProtocol()).contains(dev.proxy4j.forward.ProxyProtocol.V2);
        assertThat(sending.toString()).contains("proxyProtocol=v2");
    }
}
