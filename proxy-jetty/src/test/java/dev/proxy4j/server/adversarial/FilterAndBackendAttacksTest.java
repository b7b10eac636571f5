package dev.proxy4j.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.RetryPolicy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Response splitting through what a filter sets from the client's input (a header, the path, the
 * method), over HTTP/1.1 and HTTP/2; and backends that answer with malformed or excess bytes.
 */
class FilterAndBackendAttacksTest {

    private static final String INJECTION = "?v=b%0D%0AX-Injected:%201";
    private RecordingBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    /** What a careless filter does: the decoded query parameter {@code v}, used as it is. */
    private static String v(ProxyRequest request) {
        return URLDecoder.decode(Objects.requireNonNull(request.query()).substring(2), StandardCharsets.ISO_8859_1);
    }

    private void startFilterProxy() throws Exception {
        backend = RecordingBackend.answeringOk();
        ProxyFilter requestHeader = (ctx, request, next) -> next.proceed(request.toBuilder()
                .headers(request.headers().toBuilder().set("X-User", v(request)).build()).build());
        ProxyFilter responseHeader = (ctx, request, next) -> next.proceed(request).thenApply(response ->
                response.toBuilder().headers(response.headers().toBuilder().set("X-Echo", v(request)).build()).build());
        ProxyFilter path = (ctx, request, next) -> next.proceed(request.toBuilder().path("/" + v(request)).build());
        ProxyFilter method = (ctx, request, next) -> next.proceed(request.toBuilder().method(v(request)).build());
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/request-header").filter(requestHeader).upstream(backend.uri()))
                .route(r -> r.pathPrefix("/response-header").filter(responseHeader).upstream(backend.uri()))
                .route(r -> r.pathPrefix("/path").filter(path).upstream(backend.uri()))
                .route(r -> r.pathPrefix("/method").filter(method).upstream(backend.uri()))
                .build()
                .start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/request-header", "/path", "/method"})
    void aCrLfAFilterPutsIntoTheRequestFailsTheFilterAndNothingReachesTheBackend(String route) throws Exception {
        startFilterProxy();

        RawClient.Answer answer = RawClient.exchange(proxy.port(), "GET " + route + INJECTION
                + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("500 Server Error\n");
        Expect.nothing().verify(backend);
    }

    @Test
    void aCrLfAFilterPutsIntoAResponseHeaderNeverReachesTheClient() throws Exception {
        startFilterProxy();

        RawClient.Answer answer = RawClient.exchange(proxy.port(), "GET /response-header" + INJECTION
                + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.text()).doesNotContainIgnoringCase("x-injected").doesNotContainIgnoringCase("x-echo");
        Expect.one("GET /response-header" + INJECTION + " HTTP/1.1", "", "host: a").verify(backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/request-header", "/response-header", "/path", "/method"})
    void theSameOverHttp2(String route) throws Exception {
        startFilterProxy();

        try (RawH2 client = new RawH2(proxy.port())) {
            client.headers(1, true, List.of(":method", "GET", ":scheme", "http", ":authority", "a",
                    ":path", route + INJECTION));

            assertThat(client.outcome(1)).isEqualTo("status 500");
        }
        if (route.equals("/response-header")) {
            Expect.one("GET /response-header" + INJECTION + " HTTP/1.1", "", "host: a").verify(backend);
        } else {
            Expect.nothing().verify(backend);
        }
    }

    private RawClient.Answer getThroughFaultyBackend(String... answers) throws Exception {
        backend = RecordingBackend.answering(answers);
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(u -> u.endpoint(backend.uri())
                        .retryPolicy(RetryPolicy.none())))
                .build()
                .start();
        return RawClient.exchange(proxy.port(), "GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-A: b\u0000c\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-A : b\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n",
        "",
    })
    void aBackendsMalformedResponseIsA502WithNothingOfIt(String fault) throws Exception {
        RawClient.Answer answer = getThroughFaultyBackend(fault);

        assertThat(answer.status()).as(answer.text()).isEqualTo(502);
        assertThat(answer.body()).isEqualTo("502 Bad Gateway\n");
        assertThat(answer.text()).doesNotContain("X-A");
        Expect.one("GET /a HTTP/1.1", "", "host: a").verify(backend);
    }

    @Test
    void bytesABackendSendsAfterItsResponseNeverBecomeTheNextClientsResponse() throws Exception {
        RawClient.Answer first = getThroughFaultyBackend(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil",
                "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
        RawClient.Answer second = RawClient.exchange(proxy.port(), "GET /b HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(first.body()).isEqualTo("ok");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("second");
        Expect.one("GET /a HTTP/1.1", "", "host: a").then("GET /b HTTP/1.1", "", "host: a").verify(backend);
    }

    @Test
    void anUpgradeTheBackendDoesNotAcceptOpensNoTunnelForTheBytesThatFollow() throws Exception {
        backend = RecordingBackend.answeringOk();
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();

        // WebSocket smuggling: the backend says 200, not 101; what follows must be parsed as a request.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            RawClient.Answer first = RawClient.read(socket.getInputStream());
            socket.getOutputStream().write("GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawClient.Answer second = RawClient.read(socket.getInputStream());

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).as(second.text()).isEqualTo(200);
        }
        Expect.one("GET /ws HTTP/1.1", "", "sec-websocket-version: 13", "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==",
                "host: a", "upgrade: websocket", "connection: Upgrade")
                .then("GET /smuggled HTTP/1.1", "", "host: a").verify(backend);
    }
}
