package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Upstream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Upstream BACKEND = Upstream.of("http://127.0.0.1:9000");

    private static Route route(String name, Consumer<Route.Builder> predicates) {
        Route.Builder builder = Route.builder().name(name).upstream(BACKEND);
        predicates.accept(builder);
        return builder.build();
    }

    private static Optional<String> match(RouteTable table, String authority, String path) {
        return table.match(ProxyRequest.builder().authority(authority).path(path).build()).map(Route::name);
    }

    @Test
    void theFirstMatchingRouteInDeclarationOrderWins() {
        RouteTable table = new RouteTable(List.of(
                route("orders", r -> r.pathPrefix("/api/orders")),
                route("api", r -> r.pathPrefix("/api")),
                route("catch-all", r -> r.pathPrefix("/"))));

        assertThat(match(table, "x.example", "/api/orders/7")).contains("orders");
        assertThat(match(table, "x.example", "/api/users")).contains("api");
        assertThat(match(table, "x.example", "/index.html")).contains("catch-all");
    }

    @Test
    void aGeneralRouteDeclaredFirstShadowsASpecificOne() {
        RouteTable table = new RouteTable(List.of(
                route("api", r -> r.pathPrefix("/api")),
                route("orders", r -> r.pathPrefix("/api/orders"))));

        assertThat(match(table, "x.example", "/api/orders/7")).contains("api");
    }

    @Test
    void aHostlessRouteDeclaredBeforeAHostRouteStillWinsForThatHost() {
        RouteTable table = new RouteTable(List.of(
                route("health", r -> r.path("/health")),
                route("api host", r -> r.host("api.example.com")),
                route("late hostless", r -> r.pathPrefix("/"))));

        assertThat(match(table, "api.example.com", "/health")).contains("health");
        assertThat(match(table, "api.example.com", "/orders")).contains("api host");
        assertThat(match(table, "www.example.com", "/orders")).contains("late hostless");
    }

    @Test
    void aHostRouteDeclaredBeforeAHostlessRouteWinsForItsHost() {
        RouteTable table = new RouteTable(List.of(
                route("api host", r -> r.host("api.example.com").path("/health")),
                route("health", r -> r.path("/health"))));

        assertThat(match(table, "api.example.com", "/health")).contains("api host");
        assertThat(match(table, "www.example.com", "/health")).contains("health");
    }

    @Test
    void routesOfOneHostKeepTheirOrderAmongHostlessAndOtherHostRoutes() {
        RouteTable table = new RouteTable(List.of(
                route("a-1", r -> r.host("a.example").pathPrefix("/x")),
                route("b-1", r -> r.host("b.example")),
                route("any-1", r -> r.pathPrefix("/x/y")),
                route("a-2", r -> r.host("a.example")),
                route("any-2", r -> r.pathPrefix("/"))));

        assertThat(match(table, "a.example", "/x/y")).contains("a-1");
        assertThat(match(table, "a.example", "/z")).contains("a-2");
        assertThat(match(table, "b.example", "/x/y")).contains("b-1");
        assertThat(match(table, "c.example", "/x/y")).contains("any-1");
        assertThat(match(table, "c.example", "/z")).contains("any-2");
    }

    @Test
    void hostsAreLookedUpIgnoringCaseAndPort() {
        RouteTable table = new RouteTable(List.of(route("api", r -> r.host("API.example.com"))));

        assertThat(match(table, "api.EXAMPLE.com:8443", "/")).contains("api");
    }

    @Test
    void wildcardAndMultiHostRoutesTakePartInDeclarationOrder() {
        RouteTable table = new RouteTable(List.of(
                route("wildcard", r -> r.host("*.example.com").pathPrefix("/shared")),
                route("two hosts", r -> r.host("a.example.com", "b.example.com").pathPrefix("/both")),
                route("exact", r -> r.host("a.example.com"))));

        assertThat(match(table, "a.example.com", "/shared/x")).contains("wildcard");
        assertThat(match(table, "a.example.com", "/both")).contains("two hosts");
        assertThat(match(table, "b.example.com", "/both")).contains("two hosts");
        assertThat(match(table, "a.example.com", "/other")).contains("exact");
        assertThat(match(table, "c.example.com", "/shared")).contains("wildcard");
        assertThat(match(table, "c.example.com", "/other")).isEmpty();
        assertThat(match(table, "example.com", "/shared")).isEmpty();
    }

    @Test
    void noMatchingRouteGivesEmpty() {
        RouteTable table = new RouteTable(List.of(
                route("api", r -> r.host("api.example.com")),
                route("static", r -> r.pathPrefix("/static"))));

        assertThat(match(table, "www.example.com", "/index.html")).isEmpty();
        assertThat(match(table, "", "/")).isEmpty();
    }

    @Test
    void anEmptyTableMatchesNothing() {
        assertThat(match(new RouteTable(List.of()), "api.example.com", "/")).isEmpty();
    }

    @Test
    void routesAreKeptInDeclarationOrderAndCannotBeChanged() {
        Route first = route("first", r -> r.host("a.example"));
        Route second = route("second", r -> { });
        RouteTable table = new RouteTable(List.of(first, second));

        assertThat(table.routes()).containsExactly(first, second);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.routes().add(first))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
