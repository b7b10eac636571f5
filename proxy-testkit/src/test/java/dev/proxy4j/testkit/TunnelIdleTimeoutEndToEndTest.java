package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A route's tunnel idle timeout ({@code tunnelIdleTimeout}, {@code timeouts: {tunnel: ...}}):
 * silence both ways for that long closes a WebSocket, whatever the route's idle timeout for HTTP.
 */
@Timeout(60)
class TunnelIdleTimeoutEndToEndTest {

    private static WebSocketEchoBackend wsBackend;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        wsBackend = new WebSocketEchoBackend();
        URI ws = wsBackend.uri();
        proxy = ProxyServer.builder().listen(0).accessLog(false)
                .route(r -> r.pathPrefix("/quick").idleTimeout(Duration.ofMinutes(5))
                        .tunnelIdleTimeout(Duration.ofSeconds(1)).upstream(ws))
                .route(r -> r.pathPrefix("/patient").idleTimeout(Duration.ofMillis(500))
                        .tunnelIdleTimeout(Duration.ofMinutes(5)).upstream(ws))
                .build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        wsBackend.close();
    }

    @Test
    void aSilentHttp11WebSocketIsClosedAfterTheRoutesTunnelIdleTimeout() throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write(TestClient.head("GET /quick/echo HTTP/1.1", "Host: localhost",
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("the 101's head").isNotNegative();
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            // Nothing is sent either way: the proxy closes the tunnel (well within the 30 s read timeout).
            int read;
            try {
                read = in.read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).as("end of the connection").isEqualTo(-1);
        }
    }

    @Test
    void aSilentHttp2WebSocketIsClosedAfterTheRoutesTunnelIdleTimeout() throws Exception {
        try (Rfc8441Client ws = new Rfc8441Client(proxy.port(), "/quick/echo", Map.of())) {
            assertThat(ws.status()).isEqualTo(200);
            ws.sendText("then silence");
            assertThat(ws.next().text()).isEqualTo("then silence");
            assertThat(ws.ended.get(30, TimeUnit.SECONDS)).as("the stream closed by the proxy").isNotNull();
        }
    }

    /** The route's idle timeout (500 ms) bounds the HTTP exchange, not the tunnel it became. */
    @Test
    void aTunnelOutlivesTheRoutesIdleTimeoutWhenItsTunnelIdleTimeoutIsLonger() throws Exception {
        try (Rfc8441Client ws = new Rfc8441Client(proxy.port(), "/patient/echo", Map.of())) {
            assertThat(ws.status()).isEqualTo(200);
            ws.sendText("first");
            assertThat(ws.next().text()).isEqualTo("first");
            // Four times the route's idle timeout of silence; the tunnel's own is 5 minutes.
            assertThat(ws.ended.completeOnTimeout("still open", 2, TimeUnit.SECONDS).get()).isEqualTo("still open");
            ws.sendText("after the silence");
            assertThat(ws.next().text()).isEqualTo("after the silence");
        }
    }
}
