package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A response that ends its connection (the client asked for {@code Connection: close}, or spoke
 * HTTP/1.0 without keep-alive) is written whole, and the proxy then closes the connection: the
 * client reads to the end of the stream, and a request sent behind it is neither answered nor
 * forwarded.
 */
class ClosingResponseTest {

    private final AtomicInteger forwarded = new AtomicInteger();
    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                forwarded.incrementAndGet();
                TestBackend.Content.write(response, "body of " + request.getHttpURI().getPath(), callback);
                return true;
            }
        });
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.upstream(backend.uri()))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    @Test
    void connectionCloseGetsTheWholeResponseThenTheEndOfTheStream() throws Exception {
        for (int i = 0; i < 20; i++) {
            String text = exchange("GET /c" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(text).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                    .endsWith("body of /c" + i);
        }
        assertThat(forwarded).hasValue(20);
    }

    @Test
    void http10WithoutKeepAliveGetsTheWholeResponseThenTheEndOfTheStream() throws Exception {
        String text = exchange("GET /old HTTP/1.0\r\nHost: x\r\n\r\n");
        // The proxy answers in its own version (RFC 9110 2.5), and closes: the client asked for no keep-alive.
        assertThat(text).startsWith("HTTP/1.1 200").endsWith("body of /old");
    }

    @Test
    void aRequestBehindAClosingOneIsNeitherAnsweredNorForwarded() throws Exception {
        String text = exchange("GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                + "GET /behind HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(text).startsWith("HTTP/1.1 200").endsWith("body of /first").doesNotContain("/behind");
        assertThat(forwarded).hasValue(1);
    }

    /** Sends the bytes and reads until the proxy closes the connection (a 10 s read timeout fails the test). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
