package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.Upstream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A route's target: a weighted split of upstreams, or a local handler that needs no backend. */
class RouteTargetsTest {

    private TestBackend first;
    private TestBackend second;
    private ProxyServer proxy;
    private HttpClient client;

    @BeforeEach
    void startBackends() throws Exception {
        first = TestBackend.answering("first");
        second = TestBackend.answering("second");
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (proxy != null) {
            proxy.stop();
        }
        first.close();
        second.close();
    }

    private ContentResponse get(String path) throws Exception {
        return client.newRequest("127.0.0.1", proxy.port()).path(path).timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void aSplitOfOneToThreeSendsAboutAQuarterOfTheRequestsToTheFirstUpstream() throws Exception {
        Upstream a = Upstream.of(first.uri());
        Upstream b = Upstream.of(second.uri());
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").split(s -> s.upstream(a, 1).upstream(b, 3)))
                .build().start();
        client = Clients.HTTP_1_1.start();

        int toFirst = 0;
        int requests = 400;
        for (int i = 0; i < requests; i++) {
            ContentResponse response = get("/r" + i);
            assertThat(response.getStatus()).isEqualTo(200);
            if (response.getContentAsString().equals("first")) {
                toFirst++;
            }
        }

        // Expected 100 of 400 (sd ~8.7): 60..140 is more than four standard deviations either way.
        assertThat(toFirst).isBetween(60, 140);
        assertThat(first.received()).isEqualTo(toFirst);
        assertThat(second.received()).isEqualTo(requests - toFirst);
    }

    @Test
    void anUpstreamOfWeightZeroInASplitGetsNothing() throws Exception {
        Upstream a = Upstream.of(first.uri());
        Upstream b = Upstream.of(second.uri());
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").split(s -> s.upstream(a, 0).upstream(b, 1)))
                .build().start();
        client = Clients.HTTP_1_1.start();

        for (int i = 0; i < 50; i++) {
            ContentResponse response = get("/r" + i);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("second");
        }
        assertThat(first.received()).isZero();
        assertThat(second.received()).isEqualTo(50);
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aLocalHandlerAnswersAfterTheRoutesFiltersWithoutAnyBackend(Clients protocol) throws Exception {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.path("/healthz")
                        .filter((ctx, request, next) -> next.proceed(request).thenApply(response -> response
                                .toBuilder().headers(response.headers().toBuilder().set("X-Filtered", "yes").build())
                                .build()))
                        .local((ctx, request) -> CompletableFuture.completedFuture(
                                ProxyResponse.text(200, "healthy on " + request.path()))))
                .route(r -> r.pathPrefix("/").upstream(first.uri()))
                .build().start();
        client = protocol.start();

        ContentResponse response = get("/healthz");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("healthy on /healthz");
        assertThat(response.getHeaders().get("X-Filtered")).isEqualTo("yes");
        assertThat(first.received()).isZero();
        assertThat(second.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aLocalHandlerThatAnswersLaterOnAnotherThreadStillAnswers(Clients protocol) throws Exception {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.path("/later").local((ctx, request) -> CompletableFuture.supplyAsync(
                        () -> ProxyResponse.text(202, "accepted"), ctx.blockingExecutor())))
                .build().start();
        client = protocol.start();

        ContentResponse response = get("/later");

        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(response.getContentAsString()).isEqualTo("accepted");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Clients.class)
    void staticFilesAreServedBelowTheRootWithoutABackend(Clients protocol, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        byte[] big = new byte[200_000];
        new java.util.Random(7).nextBytes(big);
        java.nio.file.Files.write(dir.resolve("big.bin"), big);
        java.nio.file.Files.writeString(dir.resolve("index.html"), "<h1>home</h1>");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/assets").stripPrefix("/assets").staticFiles(dir))
                .build().start();
        client = protocol.start();

        ContentResponse file = get("/assets/big.bin");
        assertThat(file.getStatus()).isEqualTo(200);
        assertThat(file.getContent()).isEqualTo(big);
        assertThat(file.getHeaders().get("Content-Length")).isEqualTo("200000");
        ContentResponse index = get("/assets/");
        assertThat(index.getContentAsString()).isEqualTo("<h1>home</h1>");
        assertThat(index.getHeaders().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        ContentResponse head = client.newRequest("127.0.0.1", proxy.port()).method("HEAD").path("/assets/big.bin")
                .timeout(10, TimeUnit.SECONDS).send();
        assertThat(head.getHeaders().get("Content-Length")).isEqualTo("200000");
        // Encoded dot segments are decoded and resolved at the door: /secret, which no route takes.
        assertThat(get("/assets/%2e%2e/secret").getStatus()).isEqualTo(404);
        assertThat(get("/assets/missing.css").getStatus()).isEqualTo(404);
        assertThat(first.received()).isZero();
    }
}
