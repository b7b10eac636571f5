package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upstream pools live as long as a routing snapshot in use names them, and no longer. */
class PoolRetirementTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(1);
    private Server backend;
    private JettyServerFactory.Built proxy;
    private String origin;

    @BeforeEach
    void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.getHttpURI().getPath().equals("/held")) {
                    arrived.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
                Content.Sink.write(response, true, "ok " + request.getHttpURI().getPath(), callback);
                return true;
            }
        });
        backend.start();
        origin = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (proxy != null) {
            proxy.server().stop();
        }
        backend.stop();
    }

    private ProxyConfig config(Upstream upstream) {
        return ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0)).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(upstream)).build();
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        int port = ((ServerConnector) proxy.server().getConnectors()[0]).getLocalPort();
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamOfTheSameNameAndSettingsKeepsItsPoolAcrossAReconfigure() throws Exception {
        proxy = JettyServerFactory.create(config(Upstream.builder().name("api").endpoint(origin).build()), null);
        proxy.server().start();
        assertThat(get("/a").get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /a");

        proxy.reconfigure(config(Upstream.builder().name("api").endpoint(origin).build()));

        assertThat(proxy.pools()).isEqualTo(1);
        assertThat(get("/b").get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /b");
    }

    @Test
    void aReplacedPoolIsRetiredOnlyOnceTheRequestsOfTheOldConfigurationAreDone() throws Exception {
        proxy = JettyServerFactory.create(config(Upstream.builder().name("api").endpoint(origin).build()), null);
        proxy.server().start();
        CompletableFuture<HttpResponse<String>> held = get("/held");
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

        proxy.reconfigure(config(Upstream.builder().name("api").endpoint(origin)
                .connectTimeout(Duration.ofSeconds(2)).build()));

        assertThat(proxy.pools()).as("the old pool still carries a request").isEqualTo(2);
        assertThat(get("/new").get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /new");
        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("ok /held");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.pools() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.pools()).isEqualTo(1);
    }

    @Test
    void routesNamingOneUpstreamShareOnePoolAndSoDoUpstreamsOfOneNameAndSettings() throws Exception {
        Upstream shared = Upstream.builder().name("api").endpoint(origin).build();
        Upstream twin = Upstream.builder().name("api").endpoint(origin).build();
        Upstream other = Upstream.builder().name("api").endpoint(origin).idleTimeout(Duration.ofSeconds(5)).build();
        proxy = JettyServerFactory.create(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.pathPrefix("/one").upstream(shared))
                .route(r -> r.pathPrefix("/two").upstream(shared))
                .route(r -> r.pathPrefix("/three").upstream(twin))
                .build(), null);

        assertThat(proxy.pools()).isEqualTo(1);
        proxy.reconfigure(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0)).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(other)).build());
        assertThat(proxy.pools()).as("other connection settings, another pool; the old one is idle").isEqualTo(1);
    }
}
