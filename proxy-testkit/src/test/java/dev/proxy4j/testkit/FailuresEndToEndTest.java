package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What clients see when backends fail or requests are bad, and that the proxy keeps serving. */
class FailuresEndToEndTest {

    private static final int CLOSED_PORT = freePort();

    @RegisterExtension
    static FakeBackend healthy = FakeBackend.create();

    @RegisterExtension
    static FakeBackend slow = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .maxRequestBodyBytes(1024)
            .route(r -> r.pathPrefix("/refused").upstream("http://127.0.0.1:" + CLOSED_PORT))
            .route(r -> r.pathPrefix("/filtered-refused")
                    .filter((ctx, request, next) -> next.proceed(request).thenApply(response -> response))
                    .upstream("http://127.0.0.1:" + CLOSED_PORT))
            .route(r -> r.pathPrefix("/filter-fails")
                    .filter((ctx, request, next) -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
                    .upstream(healthy.uri()))
            .route(r -> r.pathPrefix("/slow").responseHeadersTimeout(Duration.ofMillis(300)).upstream(slow.uri()))
            .route(r -> r.pathPrefix("/retry").upstream(u -> u.endpoint("http://127.0.0.1:" + CLOSED_PORT)
                    .endpoint(healthy.uri().toString())))
            .route(r -> r.pathPrefix("/").upstream(healthy.uri())));

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void stub() {
        healthy.stubFor(any(anyUrl()).willReturn(ok("ok")));
        slow.stubFor(any(anyUrl()).willReturn(ok("late")));
        slow.faults().delayBeforeHeaders(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers502WithoutTheBackendAddressWhenTheConnectionIsRefused(Protocol protocol) {
        var response = protocol.client(proxy).get("/refused/x");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("502 Bad Gateway\n").doesNotContain(Integer.toString(CLOSED_PORT));
        assertThat(protocol.client(proxy).get("/after").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBackendFailureSeenThroughAFilterIsStillA502(Protocol protocol) {
        var response = protocol.client(proxy).get("/filtered-refused/x");

        assertThat(response.status()).isEqualTo(502);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aFilterWhoseStageFailsGives500AndNoDetails(Protocol protocol) {
        var response = protocol.client(proxy).get("/filter-fails/x");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("500 Server Error\n").doesNotContain("boom");
        assertThat(healthy.requestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers504WhenTheBackendSendsNoHeadersInTime(Protocol protocol) {
        var response = protocol.client(proxy).get("/slow/x");

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("504 Gateway Timeout\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void retriesEvenAPostOnAnotherEndpointWhenTheConnectionWasRefused(Protocol protocol) {
        for (int i = 0; i < 4; i++) {
            var response = protocol.client(proxy).post("/retry/x", "payload");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(healthy.requestCount()).isEqualTo(4);
        assertThat(healthy.takeRequest()).hasMethod("POST").hasBody("payload");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers413ForABodyOverTheLimitWithoutCallingTheBackend(Protocol protocol) {
        var response = protocol.client(proxy).post("/x", "x".repeat(2048));

        assertThat(response.status()).isEqualTo(413);
        assertThat(healthy.requestCount()).isZero();
    }

    @Test
    void answers413ForAChunkedBodyThatGrowsOverTheLimit() {
        String chunk = "x".repeat(1000);
        String response = TestClient.raw(proxy.uri(), "POST /upload HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void answers400ToAMalformedRequestWhichNeverReachesTheBackend() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /x HTTP/1.1", "Host: a", "Bad Header"));

        assertThat(response).startsWith("HTTP/1.1 400 ")
                .doesNotContainIgnoringCase("jetty").doesNotContainIgnoringCase("server:");
        assertThat(healthy.requestCount()).isZero();
    }

    @Test
    void answers400ToAPathThatClimbsAboveTheRoot() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /../etc/passwd HTTP/1.1", "Host: a"));

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(healthy.requestCount()).isZero();
    }

    @Test
    void answers414ToAnOverlongRequestLine() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /" + "a".repeat(20_000) + " HTTP/1.1", "Host: a"));

        assertThat(response).startsWith("HTTP/1.1 414 ");
        assertThat(healthy.requestCount()).isZero();
    }

    @Test
    void answers431ToOverlargeHeaders() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /x HTTP/1.1", "Host: a", "X-Big: " + "b".repeat(20_000)));

        assertThat(response).startsWith("HTTP/1.1 431 ");
        assertThat(healthy.requestCount()).isZero();
    }

    @Test
    void keepsServingAfterBadRequests() {
        TestClient.raw(proxy.uri(), "NONSENSE\r\n\r\n");
        TestClient.raw(proxy.uri(), TestClient.head("GET /x HTTP/1.1", "Host: a", "Bad Header"));

        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /x HTTP/1.1", "Host: a", "Connection: close"));

        assertThat(response).startsWith("HTTP/1.1 200 ").contains("\r\n\r\n2\r\nok\r\n0\r\n");
    }
}
