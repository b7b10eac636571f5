package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Server-wide filters run before routing, for every request, on the path as sent; a route's
 * filters run after routing, on the rewritten path; in on the way in, out in reverse.
 */
class FilterScopesTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private TestBackend backend;
    private ProxyServer proxy;
    private HttpClient client;

    /** Records its name and the path it saw going in, and the status coming out. */
    private ProxyFilter recording(String name) {
        return (ctx, request, next) -> {
            events.add(name + " in " + request.path());
            return next.proceed(request).thenApply(response -> {
                events.add(name + " out " + response.status());
                return response;
            });
        };
    }

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.answering("ok");
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .accessLog(false)
                .filter(recording("server1"))
                .filter(recording("server2"))
                .route(r -> r.pathPrefix("/old").rewritePrefix("/old", "/new")
                        .filter(recording("route1"))
                        .filter(recording("route2"))
                        .upstream(backend.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        proxy.stop();
        backend.close();
    }

    private ContentResponse get(Clients protocol, String path) throws Exception {
        client = protocol.start();
        return client.newRequest("127.0.0.1", proxy.port()).path(path).timeout(10, TimeUnit.SECONDS).send();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void serverWideFiltersSeeTheOriginalPathAndRouteFiltersTheRewrittenOneInOrderInAndInReverseOut(Clients protocol)
            throws Exception {
        ContentResponse response = get(protocol, "/old/x");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(backend.take().pathQuery()).isEqualTo("/new/x");
        assertThat(events).containsExactly(
                "server1 in /old/x", "server2 in /old/x",
                "route1 in /new/x", "route2 in /new/x",
                "route2 out 200", "route1 out 200",
                "server2 out 200", "server1 out 200");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aRequestNoRouteTakesPassesThroughTheServerWideFiltersOnlyAndTheir404IsWhatTheClientGets(Clients protocol)
            throws Exception {
        ContentResponse response = get(protocol, "/elsewhere");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentAsString()).isEqualTo("404 Not Found\n");
        assertThat(events).containsExactly(
                "server1 in /elsewhere", "server2 in /elsewhere", "server2 out 404", "server1 out 404");
        assertThat(backend.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aServerWideFilterMayReplaceThe404(Clients protocol) throws Exception {
        proxy.reconfigure(dev.proxy4j.config.ProxyConfig.builder()
                .listener(proxy.config().listeners().get(0))
                .accessLog(false)
                .filter((ctx, request, next) -> next.proceed(request).thenApply(response -> response.status() == 404
                        ? dev.proxy4j.http.ProxyResponse.text(410, "gone: " + request.path())
                        : response))
                .route(r -> r.pathPrefix("/old").upstream(backend.uri()))
                .build());

        ContentResponse response = get(protocol, "/elsewhere");

        assertThat(response.getStatus()).isEqualTo(410);
        assertThat(response.getContentAsString()).isEqualTo("gone: /elsewhere");
    }
}
