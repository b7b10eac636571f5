package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpRequest;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes of {@link RoutingExample}: the backend that answers names the path it got. */
class RoutingExampleTest {

    private Server api;
    private Server web;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        api = Quickstart.demoBackend("api");
        web = Quickstart.demoBackend("web");
        proxy = RoutingExample.start(0, Quickstart.uri(api), Quickstart.uri(web));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        api.stop();
        web.stop();
    }

    private String body(String pathQuery, String... headers) throws Exception {
        return Http.get(proxy.uri(), pathQuery, headers).body();
    }

    @Test
    void rewritesATemplateKeepingTheQuery() throws Exception {
        assertThat(body("/users/42/orders?page=2")).startsWith("api got GET /v2/people/42/orders?page=2 ");
    }

    @Test
    void rewritesARegexWithItsGroups() throws Exception {
        assertThat(body("/reports/2024-05.csv")).startsWith("api got GET /export/2024/05 ");
    }

    @Test
    void routesByHeaderOrByACustomCondition() throws Exception {
        assertThat(body("/beta/x", "X-Canary", "1")).startsWith("api got GET /beta/x ");
        assertThat(body("/beta/x", "Cookie", "beta=1")).startsWith("api got GET /beta/x ");
        assertThat(body("/beta/x")).startsWith("web got GET /beta/x ");
    }

    @Test
    void routesByMethodAndFallsThroughToTheCatchAll() throws Exception {
        assertThat(body("/static/app.js")).startsWith("web got GET /assets/app.js ");
        assertThat(Http.send("POST", proxy.uri(), "/static/app.js", HttpRequest.BodyPublishers.ofString("x")).body())
                .startsWith("web got POST /static/app.js ");
    }

    @Test
    void skipsAHostRouteForAnotherHost() throws Exception {
        assertThat(body("/v1/users")).startsWith("web got GET /v1/users ");
    }
}
