package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.TcpListener;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No connection outlives a failure: a reset or an idle timeout on either side of a tunnel (TCP,
 * WebSocket over HTTP/1.1, WebSocket on an HTTP/2 stream) closes the other side too, the server's
 * open-tunnel count comes back to zero and the endpoint has nothing in flight.
 */
@Timeout(60)
class TunnelFailuresEndToEndTest {

    private ServerSocket backend;
    private Upstream upstream;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        backend.setSoTimeout(30_000);
        upstream = Upstream.of("http://127.0.0.1:" + backend.getLocalPort());
        proxy = ProxyServer.builder().listen(0).accessLog(false)
                .route(r -> r.pathPrefix("/quiet").tunnelIdleTimeout(Duration.ofSeconds(1)).upstream(upstream))
                .route(r -> r.pathPrefix("/").upstream(upstream))
                .tcp(TcpListener.of(0, upstream).withHost("127.0.0.1"))
                .tcp(TcpListener.of(0, upstream).withHost("127.0.0.1").withIdleTimeout(Duration.ofSeconds(1)))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    @Test
    void aTcpClientsResetClosesTheBackendConnection() throws Exception {
        try (Socket client = connect(proxy.tcpPort(0)); Socket server = backend.accept()) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readExactly(server.getInputStream(), 5)).isEqualTo("hello");
            reset(client);
            assertClosed(server);
        }
        assertNothingLeft();
    }

    @Test
    void aTcpBackendsResetClosesTheClientsConnection() throws Exception {
        try (Socket client = connect(proxy.tcpPort(0)); Socket server = backend.accept()) {
            server.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            assertThat(readExactly(client.getInputStream(), 2)).isEqualTo("hi");
            reset(server);
            assertClosed(client);
        }
        assertNothingLeft();
    }

    @Test
    void aSilentTcpConnectionIsClosedOnBothSidesAtTheIdleTimeout() throws Exception {
        try (Socket client = connect(proxy.tcpPort(1)); Socket server = backend.accept()) {
            server.setSoTimeout(30_000);
            assertClosed(client);
            assertClosed(server);
        }
        assertNothingLeft();
    }

    @Test
    void anHttp11WebSocketClientsResetClosesTheBackendConnection() throws Exception {
        try (Socket client = upgrade("/chat"); Socket server = acceptUpgrade()) {
            assertThat(TunnelEndToEndTest.readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            reset(client);
            assertClosed(server);
        }
        assertNothingLeft();
    }

    @Test
    void aWebSocketBackendsResetClosesTheHttp11ClientsConnection() throws Exception {
        try (Socket client = upgrade("/chat"); Socket server = acceptUpgrade()) {
            assertThat(TunnelEndToEndTest.readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            reset(server);
            assertClosed(client);
        }
        assertNothingLeft();
    }

    @Test
    void aSilentHttp11WebSocketIsClosedOnBothSidesAtTheTunnelIdleTimeout() throws Exception {
        try (Socket client = upgrade("/quiet"); Socket server = acceptUpgrade()) {
            assertThat(TunnelEndToEndTest.readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            assertClosed(client);
            assertClosed(server);
        }
        assertNothingLeft();
    }

    @Test
    void anHttp2StreamsResetClosesTheBackendConnection() throws Exception {
        java.util.concurrent.CompletableFuture<Socket> accepted = acceptUpgradeLater();
        try (Rfc8441Client ws = new Rfc8441Client(proxy.port(), "/chat", Map.of());
                Socket server = accepted.get(30, TimeUnit.SECONDS)) {
            assertThat(ws.status()).isEqualTo(200);
            ws.reset();
            assertClosed(server);
        }
        assertNothingLeft();
    }

    @Test
    void aWebSocketBackendsResetEndsTheHttp2ClientsStream() throws Exception {
        java.util.concurrent.CompletableFuture<Socket> accepted = acceptUpgradeLater();
        try (Rfc8441Client ws = new Rfc8441Client(proxy.port(), "/chat", Map.of())) {
            assertThat(ws.status()).isEqualTo(200);
            reset(accepted.get(30, TimeUnit.SECONDS));
            assertThat(ws.ended.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        assertNothingLeft();
    }

    /** {@link #acceptUpgrade} on another thread: the HTTP/2 client's constructor waits for the proxy's 200. */
    private java.util.concurrent.CompletableFuture<Socket> acceptUpgradeLater() {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return acceptUpgrade();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Open tunnels back to zero, and the endpoint with nothing in flight (polled: the close is asynchronous). */
    private void assertNothingLeft() throws InterruptedException {
        awaitTrue(() -> proxy.status().openTunnels() == 0, "open tunnels back to 0");
        dev.proxy4j.upstream.Endpoint endpoint = upstream.group().snapshot().members().get(0).endpoint();
        awaitTrue(() -> upstream.group().state(endpoint).map(EndpointState::inFlight).orElse(0) == 0,
                "nothing in flight on the endpoint");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The peer's end: a read gives end of input or a reset, well within the 30 s read timeout. */
    private static void assertClosed(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        int read;
        try {
            do {
                read = in.read();
            } while (read >= 0);
        } catch (SocketException reset) {
            read = -1;
        }
        assertThat(read).isEqualTo(-1);
    }

    /** An abortive close: RST instead of FIN. */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private Socket upgrade(String path) throws IOException {
        Socket client = connect(proxy.port());
        client.getOutputStream().write(TestClient.head("GET " + path + " HTTP/1.1", "Host: localhost",
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").getBytes(StandardCharsets.ISO_8859_1));
        return client;
    }

    /** Accepts the proxy's connection and answers its WebSocket handshake with a 101. */
    private Socket acceptUpgrade() throws IOException {
        Socket server = backend.accept();
        server.setSoTimeout(30_000);
        String head = TunnelEndToEndTest.readHead(server.getInputStream());
        String key = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        server.getOutputStream().write(TestClient.head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Accept: " + accept(key)).getBytes(StandardCharsets.ISO_8859_1));
        return server;
    }

    static String accept(String key) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static String readExactly(InputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
