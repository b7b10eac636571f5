package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.HttpCache;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin listener's actions over real HTTP: draining an endpoint, purging a URL from the cache. */
class AdminActionsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProxyServer proxy;
    private TestBackend one;
    private TestBackend two;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        for (TestBackend backend : new TestBackend[] {one, two}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    void drainTakesTheEndpointOutOfRotationAndOutOfTheUpstream() throws Exception {
        one = TestBackend.answering("one");
        two = TestBackend.answering("two");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(u -> u.name("api").endpoint(one.uri()).endpoint(two.uri())))
                .build().start();

        HttpResponse<String> drained = post("/drain?upstream=api&endpoint=" + encode(one.uri()));

        assertThat(drained.statusCode()).isEqualTo(202);
        assertThat(drained.body()).isEqualTo("{\"status\":\"draining\",\"upstream\":\"api\",\"endpoint\":\""
                + one.uri() + "\"}\n");
        for (int i = 0; i < 6; i++) {
            assertThat(get(proxy.uri().resolve("/x")).body()).isEqualTo("two");
        }
        // Nothing was in flight on it: it left the upstream at once.
        String upstreams = get(admin("/upstreams")).body();
        assertThat(upstreams).contains(two.uri()).doesNotContain(one.uri());
    }

    @Test
    void drainNamesWhatItDoesNotKnow() throws Exception {
        one = TestBackend.answering("one");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(u -> u.name("api").endpoint(one.uri())))
                .build().start();

        HttpResponse<String> noUpstream = post("/drain?upstream=web&endpoint=" + encode(one.uri()));
        HttpResponse<String> noEndpoint = post("/drain?upstream=api&endpoint=" + encode("http://127.0.0.1:1"));
        HttpResponse<String> missing = post("/drain?upstream=api");

        assertThat(noUpstream.statusCode()).isEqualTo(404);
        assertThat(noUpstream.body()).isEqualTo("{\"error\":\"drain: no upstream named web\"}\n");
        assertThat(noEndpoint.statusCode()).isEqualTo(404);
        assertThat(noEndpoint.body()).isEqualTo("{\"error\":\"drain: upstream api has no endpoint http://127.0.0.1:1\"}\n");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(get(admin("/drain")).statusCode()).isEqualTo(405);
        assertThat(get(proxy.uri().resolve("/x")).body()).isEqualTo("one");
    }

    @Test
    void purgeRemovesAUrlFromTheCacheSoTheNextRequestGoesToTheBackend() throws Exception {
        one = TestBackend.start(new org.eclipse.jetty.server.Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Cache-Control", "max-age=600");
                TestBackend.Content.write(response, "cached", callback);
                return true;
            }
        });
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .cache(HttpCache.inMemory(1 << 20))
                .route(r -> r.pathPrefix("/").upstream(one.uri()))
                .build().start();
        URI page = proxy.uri().resolve("/page?v=1");
        assertThat(get(page).body()).isEqualTo("cached");
        // The answer is stored once its body has gone through: a request right after may still miss.
        String status = "";
        for (long deadline = System.nanoTime() + 10_000_000_000L; !status.contains("hit")
                && System.nanoTime() < deadline; Thread.sleep(20)) {
            status = get(page).headers().firstValue("Cache-Status").orElse("");
        }
        assertThat(status).contains("hit");
        one.drain();

        String url = "http://127.0.0.1:" + proxy.port() + "/page?v=1";
        HttpResponse<String> purged = post("/purge?url=" + encode(url));

        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(purged.body()).isEqualTo("{\"status\":\"purged\"}\n");
        assertThat(get(page).headers().firstValue("Cache-Status").orElse("")).contains("fwd=uri-miss");
        assertThat(one.take().pathQuery()).isEqualTo("/page?v=1");
        assertThat(post("/purge?url=" + encode("http://127.0.0.1:" + proxy.port() + "/other")).body())
                .isEqualTo("{\"status\":\"not cached\"}\n");
        assertThat(post("/purge?url=%2Fpage").statusCode()).isEqualTo(400);
    }

    @Test
    void purgeWithoutACacheIsNotFound() throws Exception {
        one = TestBackend.answering("one");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(one.uri()))
                .build().start();

        HttpResponse<String> purged = post("/purge?url=" + encode("http://127.0.0.1/x"));

        assertThat(purged.statusCode()).isEqualTo(404);
        assertThat(purged.body()).isEqualTo("{\"error\":\"purge: the cache is off\"}\n");
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(admin(path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + proxy.adminPort() + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
