package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An idle keep-alive client connection is closed after clientIdleTimeout. */
class ClientIdleTest {

    @Test
    void closesAKeepAliveConnectionThatStaysIdle() throws Exception {
        try (TestBackend backend = TestBackend.answering("ok")) {
            ProxyServer proxy = ProxyServer.builder()
                    .listen("127.0.0.1", 0)
                    .clientIdleTimeout(Duration.ofMillis(300))
                    .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                    .build()
                    .start();
            try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                assertThat(RawHttp.readResponseHead(in)).startsWith("HTTP/1.1 200 ").endsWith("ok");

                // Nothing more is sent: the proxy closes the connection (read returns -1) well before the 10 s guard.
                assertThat(in.read()).isEqualTo(-1);
            } finally {
                proxy.stop();
            }
        }
    }
}
