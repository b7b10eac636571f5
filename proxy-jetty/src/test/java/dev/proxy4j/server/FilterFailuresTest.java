package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.UpstreamFailure;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a backend's failure reaches a route filter (a typed {@link UpstreamFailure}), what the client
 * gets when the filter wraps it (still the failure's status), and when a filter fails on its own (500).
 * The proxy's error answers never name the backend.
 */
class FilterFailuresTest {

    private final AtomicReference<Throwable> observed = new AtomicReference<>();
    private TestBackend slow;
    private ProxyServer proxy;
    private HttpClient client;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        slow = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                request.getComponents().getScheduler().schedule(
                        () -> TestBackend.Content.write(response, "late", callback), 2, TimeUnit.SECONDS);
                return true;
            }
        });
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProxyFilter observing = (ctx, request, next) -> next.proceed(request).whenComplete((response, failure) -> {
            if (failure != null) {
                observed.set(failure);
            }
        });
        ProxyFilter wrapping = (ctx, request, next) -> next.proceed(request).exceptionally(failure -> {
            throw new IllegalStateException("the wrapping filter's own words", failure);
        });
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/refused").filter(observing).upstream("http://127.0.0.1:" + closedPort))
                .route(r -> r.pathPrefix("/slow").responseHeadersTimeout(Duration.ofMillis(200)).filter(observing)
                        .upstream(slow.uri()))
                .route(r -> r.pathPrefix("/wrapped-refused").filter(wrapping)
                        .upstream("http://127.0.0.1:" + closedPort))
                .route(r -> r.pathPrefix("/wrapped-slow").responseHeadersTimeout(Duration.ofMillis(200))
                        .filter(wrapping).upstream(slow.uri()))
                .route(r -> r.pathPrefix("/throws").filter((ctx, request, next) -> {
                    throw new IllegalStateException("filter bug at 127.0.0.1:" + slow.port());
                }).upstream(slow.uri()))
                .route(r -> r.pathPrefix("/fails").filter((ctx, request, next) -> CompletableFuture.failedFuture(
                        new IllegalArgumentException("no such tenant"))).upstream(slow.uri()))
                .route(r -> r.pathPrefix("/null").filter((ctx, request, next) -> nothing()).upstream(slow.uri()))
                .build().start();
    }

    private static CompletionStage<ProxyResponse> nothing() {
        return null;
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        proxy.stop();
        slow.close();
    }

    private ContentResponse get(Clients protocol, String path) throws Exception {
        client = protocol.start();
        return client.newRequest("127.0.0.1", proxy.port()).path(path).timeout(10, TimeUnit.SECONDS).send();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The proxy's own error: its status line as the body, and nothing about the backend anywhere. */
    private void assertProxyError(ContentResponse response, int status, String body) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentAsString()).isEqualTo(body);
        for (HttpField field : response.getHeaders()) {
            assertThat(field.getValue()).as(field.getName())
                    .doesNotContain(String.valueOf(closedPort)).doesNotContain(String.valueOf(slow.port()));
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aRouteFilterSeesARefusedConnectionAsAnUpstreamFailureOfKindConnectRefused(Clients protocol)
            throws Exception {
        ContentResponse response = get(protocol, "/refused");

        assertProxyError(response, 502, "502 Bad Gateway\n");
        assertThat(unwrap(observed.get())).isInstanceOfSatisfying(UpstreamFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT_REFUSED);
            assertThat(failure.status()).isEqualTo(502);
        });
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aRouteFilterSeesSlowResponseHeadersAsAnUpstreamFailureOfKindResponseTimeout(Clients protocol)
            throws Exception {
        ContentResponse response = get(protocol, "/slow");

        assertProxyError(response, 504, "504 Gateway Timeout\n");
        assertThat(unwrap(observed.get())).isInstanceOfSatisfying(UpstreamFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.RESPONSE_TIMEOUT));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterThatWrapsARefusedConnectionInItsOwnExceptionStillGivesTheClient502(Clients protocol)
            throws Exception {
        assertProxyError(get(protocol, "/wrapped-refused"), 502, "502 Bad Gateway\n");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterThatWrapsAResponseTimeoutInItsOwnExceptionStillGivesTheClient504(Clients protocol)
            throws Exception {
        assertProxyError(get(protocol, "/wrapped-slow"), 504, "504 Gateway Timeout\n");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterThatThrowsGives500WithoutItsMessage(Clients protocol) throws Exception {
        ContentResponse response = get(protocol, "/throws");

        assertProxyError(response, 500, "500 Server Error\n");
        assertThat(slow.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterWhoseStageFailsOnItsOwnGives500(Clients protocol) throws Exception {
        assertProxyError(get(protocol, "/fails"), 500, "500 Server Error\n");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterThatReturnsNullGives500(Clients protocol) throws Exception {
        assertProxyError(get(protocol, "/null"), 500, "500 Server Error\n");
    }
}
