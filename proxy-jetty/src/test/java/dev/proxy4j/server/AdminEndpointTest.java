package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.Listener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin listener over real HTTP: health, routes, upstreams, metrics when off, reload, the token, readiness while draining. */
class AdminEndpointTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProxyServer proxy;
    private TestBackend backend;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private ProxyServer start(java.util.function.Consumer<ProxyServer.Builder> more) throws Exception {
        backend = TestBackend.answering("hello");
        ProxyServer.Builder builder = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.name("api").pathPrefix("/api").upstream(u -> u.name("api-backends")
                        .endpoint(backend.uri().toString(), 3)));
        more.accept(builder);
        proxy = builder.build().start();
        return proxy;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(admin(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + proxy.adminPort() + path);
    }

    @Test
    void answersLivenessReadinessRoutesAndUpstreamsInJson() throws Exception {
        start(b -> b.admin(0));

        HttpResponse<String> live = get("/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}\n");
        assertThat(get("/ready").body()).isEqualTo("{\"status\":\"ready\"}\n");
        assertThat(get("/routes").body()).isEqualTo(
                "{\"routes\":[{\"name\":\"api\",\"target\":\"api-backends\",\"upstreams\":[\"api-backends\"],\"filters\":0}]}\n");
        assertThat(get("/upstreams").body()).isEqualTo("{\"upstreams\":[{\"name\":\"api-backends\",\"loadBalancer\":\""
                + proxy.config().upstreams().get(0).loadBalancer() + "\",\"endpoints\":[{\"uri\":\"" + backend.uri()
                + "\",\"weight\":3,\"inFlight\":0,\"health\":\"healthy\",\"ejected\":false,\"ejections\":0,"
                + "\"selectable\":true,\"draining\":false,\"consecutive5xx\":0,\"consecutiveGatewayFailures\":0}],"
                + "\"connections\":{\"active\":0,\"idle\":0,\"pending\":0}}]}\n");
    }

    @Test
    void upstreamsShowWhatTheHealthCheckFoundAndThatTheEndpointIsOutOfRotation() throws Exception {
        start(b -> b.admin(0).route(r -> r.name("dead").pathPrefix("/dead").upstream(u -> u.name("dead")
                .endpoint("http://127.0.0.1:1")
                .healthCheck(dev.proxy4j.upstream.HealthCheck.builder("/health").interval(Duration.ofMillis(100)).fall(1)
                        .build())
                .panicRouting(false))));

        String upstreams = "";
        for (int i = 0; i < 250 && !upstreams.contains("\"lastHealthCheck\""); i++) {
            upstreams = get("/upstreams").body();
            Thread.sleep(20);
        }
        assertThat(upstreams).contains("{\"uri\":\"http://127.0.0.1:1\",\"weight\":1,\"inFlight\":0,"
                + "\"health\":\"unhealthy\",\"ejected\":false,\"ejections\":0,\"selectable\":false,");
        assertThat(upstreams).containsPattern("\"lastHealthCheck\":\"failed: [^\"]+\"");
    }

    @Test
    void upstreamsShowThePooledConnectionAfterARequest() throws Exception {
        start(b -> b.admin(0));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hello");

        String upstreams = "";
        for (int i = 0; i < 100 && !upstreams.contains("\"idle\":1"); i++) {
            upstreams = get("/upstreams").body();
            Thread.sleep(20);
        }
        assertThat(upstreams).contains("\"connections\":{\"active\":0,\"idle\":1,\"pending\":0}");
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefused() throws Exception {
        start(b -> b.admin(0));

        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no such admin endpoint: /nope\"}\n");
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(admin("/reload")).GET());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send(HttpRequest.newBuilder(admin("/live")).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(405);
    }

    @Test
    void metricsAreNotFoundWhenOff() throws Exception {
        start(b -> b.admin(0));

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(metrics.body()).startsWith("{\"error\":\"metrics are off");
    }

    @Test
    void aTokenIsAskedForWhenConfigured() throws Exception {
        start(b -> b.admin(AdminConfig.onPort(0).withToken("s3cret")));

        HttpResponse<String> without = get("/live");
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"proxy4j-admin\"");
        assertThat(send(HttpRequest.newBuilder(admin("/live")).header("Authorization", "Bearer wrong")).statusCode())
                .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(admin("/live")).header("Authorization", "Bearer s3cret")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void bindsToLoopbackUnlessTold() {
        assertThat(AdminConfig.onPort(9901).host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> AdminConfig.onPort(70000))
                .hasMessage("admin.port: 70000 (expected: 0..65535, 0 for any free port)");
        assertThatThrownBy(() -> AdminConfig.onPort(1).withToken("two words"))
                .hasMessageStartingWith("admin.token: (hidden) (expected:");
        assertThatThrownBy(() -> ProxyServer.builder().admin(1).admin(2))
                .hasMessage("admin was already set to AdminConfig[127.0.0.1:1]");
    }

    @Test
    void reloadIsRefusedWithoutASource() throws Exception {
        start(b -> b.admin(0));

        HttpResponse<String> reload = send(HttpRequest.newBuilder(admin("/reload")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(reload.statusCode()).isEqualTo(409);
        assertThat(reload.body()).isEqualTo(
                "{\"error\":\"reload: the proxy was not started from a config file it can read again\"}\n");
    }

    @Test
    void reloadSwapsInTheSourcesConfigurationOrKeepsTheOldOneWithTheReason() throws Exception {
        start(b -> b.admin(0));
        AtomicReference<ProxyConfig> next = new AtomicReference<>();
        proxy.reloadFrom(() -> {
            ProxyConfig config = next.get();
            if (config == null) {
                throw new IllegalArgumentException("routes[0].pathPrefix: \"api\" (expected: a path starting with /)");
            }
            return config;
        });

        HttpResponse<String> refused = send(HttpRequest.newBuilder(admin("/reload")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).isEqualTo("{\"status\":\"refused\",\"error\":"
                + "\"routes[0].pathPrefix: \\\"api\\\" (expected: a path starting with /)\"}\n");
        assertThat(proxy.config().routes().routes().get(0).name()).isEqualTo("api");

        next.set(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", proxy.config().listeners().get(0).port()))
                .admin(0).accessLog(false)
                .route(r -> r.name("v2").pathPrefix("/v2").upstream(backend.uri().toString())).build());
        HttpResponse<String> reloaded = send(HttpRequest.newBuilder(admin("/reload")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body()).isEqualTo("{\"status\":\"reloaded\",\"configuration\":\"reloaded\",\"certificates\":0}\n");
        assertThat(get("/routes").body()).contains("\"name\":\"v2\"");
    }

    @Test
    void readinessIsServiceUnavailableWhileTheProxyDrains() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backend = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                arrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                TestBackend.Content.write(response, "finished", callback);
                return true;
            }
        });
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .drainTimeout(Duration.ofSeconds(10))
                .route(r -> r.pathPrefix("/").upstream(backend.uri())).build().start();
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(proxy.uri().resolve("/slow")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(proxy::stop);
        HttpResponse<String> ready = get("/ready");
        for (int i = 0; i < 200 && ready.statusCode() == 200; i++) {
            Thread.sleep(10);
            ready = get("/ready");
        }
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"draining\",\"inFlight\":1}\n");
        assertThat(get("/live").statusCode()).isEqualTo(200);
        assertThat(stopping).isNotDone();

        release.countDown();
        assertThat(inFlight.get(20, TimeUnit.SECONDS).body()).isEqualTo("finished");
        stopping.get(20, TimeUnit.SECONDS);
        CountDownLatch awaited = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                proxy.awaitStop();
                awaited.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        assertThat(awaited.await(5, TimeUnit.SECONDS)).as("awaitStop returns once stopped").isTrue();
        proxy = null;
    }
}
