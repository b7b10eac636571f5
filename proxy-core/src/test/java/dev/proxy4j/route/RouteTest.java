package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.route.HostHeader;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static final Upstream BACKEND = Upstream.of("http://127.0.0.1:9000");

    private static ProxyRequest request(String authority, String target) {
        return ProxyRequest.builder().authority(authority).pathAndQuery(target).build();
    }

    @Test
    void matchesWhenEveryPredicateHolds() {
        Route route = Route.builder()
                .host("api.example.com").pathPrefix("/orders").methods("GET").header("X-Tenant")
                .upstream(BACKEND).build();
        ProxyRequest matching = request("api.example.com", "/orders/1").toBuilder()
                .headers(Headers.of("X-Tenant", "acme")).build();

        assertThat(route.matches(matching)).isTrue();
        assertThat(route.matches(matching.toBuilder().method("POST").build())).isFalse();
        assertThat(route.matches(matching.toBuilder().authority("www.example.com").build())).isFalse();
        assertThat(route.matches(matching.toBuilder().path("/users").build())).isFalse();
        assertThat(route.matches(matching.toBuilder().headers(Headers.empty()).build())).isFalse();
    }

    @Test
    void aRouteWithoutPredicatesMatchesEverything() {
        Route route = Route.builder().upstream(BACKEND).build();

        assertThat(route.matches(request("", "/"))).isTrue();
        assertThat(route.matches(request("any.example", "/a/b?c=d"))).isTrue();
    }

    @Test
    void aRouteWithSeveralHostsMatchesAnyOfThem() {
        Route route = Route.builder().host("a.example", "*.b.example").upstream(BACKEND).build();

        assertThat(route.matches(request("A.example:8080", "/"))).isTrue();
        assertThat(route.matches(request("x.b.example", "/"))).isTrue();
        assertThat(route.matches(request("b.example", "/"))).isFalse();
    }

    @Test
    void rewriteChangesThePathAndKeepsTheQuery() {
        Route route = Route.builder().pathPrefix("/products").rewritePrefix("/products", "/api/v1/items")
                .upstream(BACKEND).build();

        ProxyRequest rewritten = route.rewrite(request("shop.example", "/products/42?color=red&size=m"));

        assertThat(rewritten.path()).isEqualTo("/api/v1/items/42");
        assertThat(rewritten.query()).isEqualTo("color=red&size=m");
        assertThat(rewritten.authority()).isEqualTo("shop.example");
    }

    @Test
    void rewriteWithoutARewriteReturnsTheSameRequest() {
        Route route = Route.builder().upstream(BACKEND).build();
        ProxyRequest request = request("shop.example", "/a?b=1");

        assertThat(route.rewrite(request)).isSameAs(request);
    }

    @Test
    void nameDefaultsToADescriptionOfThePredicates() {
        Route route = Route.builder().host("api.example.com").pathPrefix("/v1").methods("GET", "HEAD")
                .upstream(BACKEND).build();

        assertThat(route.name()).isEqualTo("host=api.example.com path=/v1 methods=GET,HEAD");
        assertThat(route).hasToString("Route[host=api.example.com path=/v1 methods=GET,HEAD -> 127.0.0.1:9000]");
    }

    @Test
    void aRouteWithoutPredicatesIsNamedAny() {
        assertThat(Route.builder().upstream(BACKEND).build().name()).isEqualTo("any");
    }

    @Test
    void aGivenNameWins() {
        Route route = Route.builder().name("orders").pathPrefix("/orders").upstream(BACKEND).build();

        assertThat(route.name()).isEqualTo("orders");
    }

    @Test
    void settingTheHostTwiceFails() {
        Route.Builder builder = Route.builder().host("a.example");

        assertThatThrownBy(() -> builder.host("b.example"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("host was already set; pass every host pattern in one host(...) call");
    }

    @Test
    void settingNoHostFails() {
        assertThatThrownBy(() -> Route.builder().host())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: [] (expected: at least one pattern)");
    }

    @Test
    void settingThePathTwiceFailsWhateverTheKindOfPathPredicate() {
        assertThatThrownBy(() -> Route.builder().path("/a").pathPrefix("/b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("path was already set to /a; a route has one path predicate");
        assertThatThrownBy(() -> Route.builder().pathTemplate("/users/{id}").pathRegex("/x.*"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("path was already set to /users/{id}; a route has one path predicate");
    }

    @Test
    void settingTheRewriteTwiceFailsNamingTheFirst() {
        Route.Builder builder = Route.builder().stripPrefix("/api");

        assertThatThrownBy(() -> builder.setPath("/x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rewrite was already set to " + PathRewrites.stripPrefix("/api"));
    }

    @Test
    void settingTheUpstreamTwiceFailsNamingTheFirst() {
        assertThatThrownBy(() -> Route.builder().upstream(BACKEND).upstream("http://127.0.0.1:9001"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("target was already set to 127.0.0.1:9000");
        assertThatThrownBy(() -> Route.builder().upstream(u -> u.endpoint("http://127.0.0.1:9001")).upstream(BACKEND))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("target was already set to a configured upstream");
        assertThatThrownBy(() -> Route.builder().upstream(BACKEND).upstream(u -> u.endpoint("http://127.0.0.1:9001")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("target was already set to 127.0.0.1:9000");
    }

    @Test
    void buildingWithoutAnUpstreamFailsDescribingTheRoute() {
        assertThatThrownBy(() -> Route.builder().host("api.example.com").pathPrefix("/v1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route host=api.example.com path=/v1: no target (expected: an upstream(...), split(...) or local(...) call)");
    }

    @Test
    void anUpstreamConfiguredInPlaceIsBuiltWithTheRoute() {
        Route route = Route.builder().upstream(u -> u.name("orders").endpoint("http://127.0.0.1:9001")).build();

        assertThat(route.upstream()).map(u -> u.name()).contains("orders");
    }

    @Test
    void timeoutsAreEmptyUnlessTheRouteSetsSome() {
        assertThat(Route.builder().upstream(BACKEND).build().timeouts()).isEmpty();

        Route route = Route.builder().totalTimeout(Duration.ofSeconds(5)).upstream(BACKEND).build();
        assertThat(route.timeouts()).map(Timeouts::total).contains(Duration.ofSeconds(5));
    }

    @Test
    void timeoutsOverTheProxysTakeWhatTheRouteSetsAndTheProxysForTheRest() {
        Timeouts proxyWide = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30));
        Route route = Route.builder().responseHeadersTimeout(Duration.ofSeconds(1)).upstream(BACKEND).build();

        assertThat(route.timeoutsOver(proxyWide))
                .isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(30)));
        assertThat(Route.builder().upstream(BACKEND).build().timeoutsOver(proxyWide)).isEqualTo(proxyWide);
    }

    @Test
    void aTunnelIdleTimeoutIsTheRoutesOwnAndUnsetByDefault() {
        assertThat(Route.builder().upstream(BACKEND).build().tunnelIdleTimeout()).isEmpty();
        Route route = Route.builder().idleTimeout(Duration.ofSeconds(30)).tunnelIdleTimeout(Duration.ofHours(1))
                .upstream(BACKEND).build();
        assertThat(route.tunnelIdleTimeout()).contains(Duration.ofHours(1));
        assertThat(route.timeoutsOver(Timeouts.DEFAULTS).idle()).as("the HTTP idle timeout is left alone")
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Route.builder().tunnelIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tunnelIdleTimeout: PT-1S (expected: positive, or zero for no limit)");
    }

    @Test
    void rejectsANegativeRouteTimeoutAndTakesZeroForNoLimit() {
        assertThatThrownBy(() -> Route.builder().totalTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("totalTimeout: PT-0.001S (expected: positive, or zero for no limit)");
        Route unlimited = Route.builder().idleTimeout(Duration.ZERO).upstream(BACKEND).build();
        assertThat(unlimited.timeoutsOver(Timeouts.DEFAULTS).idle()).isZero();
    }

    @Test
    void hostHeaderIsPreservedByDefault() {
        assertThat(Route.builder().upstream(BACKEND).build().hostHeader()).isEqualTo(HostHeader.PRESERVE);
        assertThat(Route.builder().hostHeader(HostHeader.UPSTREAM).upstream(BACKEND).build().hostHeader())
                .isEqualTo(HostHeader.UPSTREAM);
    }

    @Test
    void headerRulesBecomeAFilterInTheOrderDeclared() {
        Route route = Route.builder()
                .filter((ctx, request, next) -> next.proceed(request))
                .headers(h -> h.setRequestHeader("X-Env", "prod"))
                .upstream(BACKEND).build();

        assertThat(route.filters()).hasSize(2);
        assertThat(route.filters().get(1)).hasToString("HeaderRules[request=[set X-Env: prod], response=[]]");
    }

    @Test
    void aRouteToUpstreamsAllowsWebSocketUpgradesByDefaultAndOnlyThose() {
        Route route = Route.builder().upstream(BACKEND).build();

        assertThat(route.upgrades()).containsExactly("websocket");
        assertThat(route.allowsUpgrade("WebSocket")).isTrue();
        assertThat(route.allowsUpgrade("h2c")).isFalse();
        assertThat(route.allowsUpgrade("")).isFalse();
    }

    @Test
    void upgradesCanBeListedOrRefusedAltogether() {
        Route none = Route.builder().upgrades().upstream(BACKEND).build();
        Route listed = Route.builder().upgrades("websocket", "My-Proto/2").upstream(BACKEND).build();

        assertThat(none.allowsUpgrade("websocket")).isFalse();
        assertThat(listed.allowsUpgrade("my-proto/2")).isTrue();
        assertThatThrownBy(() -> Route.builder().upgrades("web socket"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upgrades: \"web socket\" (expected: a protocol such as websocket)");
    }

    @Test
    void aLocalAnswerNeverOpensATunnel() {
        Route local = Route.builder().local((ctx, request) -> null).build();

        assertThat(local.allowsUpgrade("websocket")).isFalse();
    }
}
