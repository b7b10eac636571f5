package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** With enough routes for the path index to be used, the first declared match still wins. */
class RouteTableIndexTest {

    private static final Upstream UPSTREAM = Upstream.of("http://127.0.0.1:9000");

    private static Route route(String name, Consumer<Route.Builder> predicates) {
        Route.Builder builder = Route.builder().name(name).upstream(UPSTREAM);
        predicates.accept(builder);
        return builder.build();
    }

    /** Twenty filler routes that match nothing below, so every table here is indexed. */
    private static List<Route> filler() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            routes.add(route("filler" + n, r -> r.pathPrefix("/filler" + n)));
        }
        return routes;
    }

    private static Optional<String> match(List<Route> routes, String host, String path) {
        return new RouteTable(routes).match(ProxyRequest.builder().authority(host).path(path).build()).map(Route::name);
    }

    @Test
    void findsAPrefixRouteAmongManyBySegment() {
        List<Route> routes = filler();
        routes.add(route("api", r -> r.pathPrefix("/api/v1")));

        assertThat(match(routes, "a", "/api/v1/users")).contains("api");
        assertThat(match(routes, "a", "/api/v1")).contains("api");
        assertThat(match(routes, "a", "/api/v10")).isEmpty();
        assertThat(match(routes, "a", "/api")).isEmpty();
    }

    @Test
    void aCatchAllDeclaredFirstStillWinsOverALongerPrefixDeclaredLater() {
        List<Route> routes = new ArrayList<>();
        routes.add(route("all", r -> r.pathPrefix("/")));
        routes.addAll(filler());
        routes.add(route("api", r -> r.pathPrefix("/api")));

        assertThat(match(routes, "a", "/api/x")).contains("all");
    }

    @Test
    void aRegexRouteDeclaredFirstWinsOverAnIndexedPrefixRoute() {
        List<Route> routes = new ArrayList<>();
        routes.add(route("regex", r -> r.pathRegex("/api/.*")));
        routes.addAll(filler());
        routes.add(route("api", r -> r.pathPrefix("/api")));

        assertThat(match(routes, "a", "/api/x")).contains("regex");
        assertThat(match(routes, "a", "/api")).contains("api");
    }

    @Test
    void anIndexedRouteDeclaredFirstWinsOverAnUnindexedOne() {
        List<Route> routes = new ArrayList<>();
        routes.add(route("api", r -> r.pathPrefix("/api")));
        routes.addAll(filler());
        routes.add(route("methods", r -> r.methods("GET")));

        assertThat(match(routes, "a", "/api/x")).contains("api");
        assertThat(match(routes, "a", "/other")).contains("methods");
    }

    @Test
    void exactPathsAreIndexedAndStayExact() {
        List<Route> routes = filler();
        routes.add(route("health", r -> r.path("/health")));

        assertThat(match(routes, "a", "/health")).contains("health");
        assertThat(match(routes, "a", "/health/deep")).isEmpty();
    }

    @Test
    void aPrefixWithATrailingSlashDoesNotTakeThePathWithoutIt() {
        List<Route> routes = filler();
        routes.add(route("slash", r -> r.pathPrefix("/docs/")));

        assertThat(match(routes, "a", "/docs/intro")).contains("slash");
        assertThat(match(routes, "a", "/docs")).isEmpty();
    }

    @Test
    void otherPredicatesOfAnIndexedRouteStillApply() {
        List<Route> routes = filler();
        routes.add(route("post", r -> r.pathPrefix("/orders").methods("POST")));
        routes.add(route("any", r -> r.pathPrefix("/orders")));

        assertThat(new RouteTable(routes).match(ProxyRequest.builder().method("POST").path("/orders/1").build())
                .map(Route::name)).contains("post");
        assertThat(match(routes, "a", "/orders/1")).contains("any");
    }

    @Test
    void hostBucketsKeepDeclarationOrderWithHostlessRoutes() {
        List<Route> routes = new ArrayList<>();
        routes.add(route("hostless-first", r -> r.pathPrefix("/shared")));
        routes.addAll(filler());
        routes.add(route("hosted", r -> r.host("api.example.com").pathPrefix("/shared")));
        routes.add(route("hosted-only", r -> r.host("api.example.com").pathPrefix("/mine")));

        assertThat(match(routes, "api.example.com", "/shared/x")).contains("hostless-first");
        assertThat(match(routes, "API.example.com:8080", "/mine/x")).contains("hosted-only");
        assertThat(match(routes, "other.example.com", "/mine/x")).isEmpty();
    }
}
