package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.route.LocalHandler;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.Upstream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every selection of an endpoint is completed, once, however the exchange ends: the endpoint's
 * in-flight count goes back to zero, and an attempt the client abandoned is not held against it.
 */
class SelectionSettledTest {

    private final CountDownLatch backendMayAnswer = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final ScheduledExecutorService foreign = Executors.newSingleThreadScheduledExecutor();
    private Server backend;
    private JettyServerFactory.@Nullable Built proxy;
    private Upstream upstream;

    @BeforeEach
    void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                arrived.countDown();
                if (request.getHttpURI().getPath().startsWith("/slow")) {
                    backendMayAnswer.await(10, TimeUnit.SECONDS);
                }
                Content.Sink.write(response, true, "backend", callback);
                return true;
            }
        });
        backend.start();
        upstream = Upstream.of("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        backendMayAnswer.countDown();
        foreign.shutdownNow();
        if (proxy != null) {
            proxy.server().stop();
        }
        backend.stop();
    }

    private void startProxy(ProxyFilter filter) throws Exception {
        proxy = JettyServerFactory.create(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.pathPrefix("/local").local(nullHandler()))
                .route(r -> r.filter(filter).upstream(upstream))
                .build(), null);
        proxy.server().start();
    }

    private static LocalHandler nullHandler() {
        return (ctx, request) -> null;
    }

    private int port() {
        return ((ServerConnector) proxy.server().getConnectors()[0]).getLocalPort();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private EndpointState state() {
        return upstream.group().state(upstream.endpoints().get(0)).orElseThrow();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void anAttemptStillOutWhenTheFilterAnsweredWithoutWaitingIsAbortedAndNotHeldAgainstTheEndpoint()
            throws Exception {
        startProxy((ctx, request, next) -> {
            next.proceed(request);
            return CompletableFuture.completedFuture(ProxyResponse.text(200, "did not wait"));
        });

        assertThat(get("/slow").body()).isEqualTo("did not wait");

        // The attempt is aborted when the exchange ends, whether or not it had reached the backend.
        await(() -> state().inFlight() == 0 && state().completed() == 1);
        assertThat(state().consecutiveGatewayFailures()).isZero();
    }

    @Test
    void aClientThatLeavesWhileTheBackendWorksIsNotTheEndpointsFailure() throws Exception {
        startProxy((ctx, request, next) -> next.proceed(request));
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        }
        backendMayAnswer.countDown();

        await(() -> state().inFlight() == 0);
        assertThat(state().consecutiveGatewayFailures()).isZero();
        assertThat(state().consecutive5xx()).isZero();
    }

    @Test
    void aFilterStageCompletedOnAForeignThreadAfterTheClientLeftFreesTheResponse() throws Exception {
        startProxy((ctx, request, next) -> next.proceed(request).thenCompose(response -> {
            CompletableFuture<ProxyResponse> later = new CompletableFuture<>();
            foreign.schedule(() -> later.complete(response), 300, TimeUnit.MILLISECONDS);
            return later;
        }));
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        }

        await(() -> state().inFlight() == 0);
        assertThat(get("/fast").body()).isEqualTo("backend");
    }

    @Test
    void aLocalHandlerThatReturnsNullOnARouteWithoutFiltersGives500AndTheProxyGoesOn() throws Exception {
        startProxy((ctx, request, next) -> next.proceed(request));

        HttpResponse<String> response = get("/local");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("500 Server Error\n");
        assertThat(get("/fast").body()).isEqualTo("backend");
    }
}
