package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What clients see when backends fail or requests are bad, and that the proxy keeps serving. */
class FailuresTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private TestBackend healthy;
    private TestBackend slow;
    private TestBackend sink;
    private int closedPort;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        healthy = TestBackend.answering("ok");
        slow = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                release.await(20, TimeUnit.SECONDS);
                TestBackend.Content.write(response, "late", callback);
                return true;
            }
        });
        sink = TestBackend.start(new StreamingBackend());
        closedPort = freePort();
        String refused = "http://127.0.0.1:" + closedPort;
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .maxRequestBodyBytes(1024)
                .route(r -> r.pathPrefix("/refused").upstream(refused))
                .route(r -> r.pathPrefix("/slow").responseHeadersTimeout(Duration.ofMillis(300)).upstream(slow.uri()))
                .route(r -> r.pathPrefix("/retry").upstream(u -> u.endpoint(refused).endpoint(healthy.uri())))
                .route(r -> r.pathPrefix("/upload").upstream(sink.uri()))
                .route(r -> r.pathPrefix("/").upstream(healthy.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        proxy.stop();
        healthy.close();
        slow.close();
        sink.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ContentResponse send(HttpClient client, String method, String path, String body) throws Exception {
        var request = client.newRequest("127.0.0.1", proxy.port()).method(method).path(path)
                .timeout(10, TimeUnit.SECONDS);
        if (body != null) {
            request.body(new StringRequestContent(body));
        }
        return request.send();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void answers502WithoutTheBackendAddressWhenTheConnectionIsRefused(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = send(client, "GET", "/refused/x", null);

            assertThat(response.getStatus()).isEqualTo(502);
            assertThat(response.getContentAsString()).isEqualTo("502 Bad Gateway\n")
                    .doesNotContain(Integer.toString(closedPort));
            assertThat(send(client, "GET", "/after", null).getStatus()).isEqualTo(200);
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void answers504WhenTheBackendSendsNoHeadersInTime(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = send(client, "GET", "/slow/x", null);

            assertThat(response.getStatus()).isEqualTo(504);
            assertThat(response.getContentAsString()).isEqualTo("504 Gateway Timeout\n");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void retriesEvenAPostOnAnotherEndpointWhenTheConnectionWasRefused(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            for (int i = 0; i < 4; i++) {
                ContentResponse response = send(client, "POST", "/retry/x", "payload");
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).isEqualTo("ok");
            }
            assertThat(healthy.drain()).hasSize(4);
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void answers413ForABodyOverTheLimitWithoutCallingTheBackend(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = send(client, "POST", "/x", "x".repeat(2048));

            assertThat(response.getStatus()).isEqualTo(413);
            assertThat(healthy.received()).isZero();
        } finally {
            client.stop();
        }
    }

    @Test
    void answers413ForAChunkedBodyThatGrowsOverTheLimit() throws Exception {
        String chunk = "x".repeat(1000);
        String request = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";

        String response = RawHttp.exchange(proxy.port(), request);

        assertThat(response).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void answers400ToAMalformedRequestWhichNeverReachesTheBackend() throws Exception {
        String response = RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response).doesNotContainIgnoringCase("jetty").doesNotContainIgnoringCase("server:");
        assertThat(healthy.received()).isZero();
    }

    @Test
    void answers400ToAPathThatClimbsAboveTheRoot() throws Exception {
        String response = RawHttp.exchange(proxy.port(), "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(healthy.received()).isZero();
    }

    @Test
    void answers414ToAnOverlongRequestLine() throws Exception {
        String response = RawHttp.exchange(proxy.port(),
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 414 ");
        assertThat(healthy.received()).isZero();
    }

    @Test
    void answers431ToOverlargeHeaders() throws Exception {
        String response = RawHttp.exchange(proxy.port(),
                "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431 ");
        assertThat(healthy.received()).isZero();
    }

    @Test
    void keepsServingAfterBadRequests() throws Exception {
        RawHttp.exchange(proxy.port(), "NONSENSE\r\n\r\n");
        RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n");

        String response = RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("ok");
    }
}
