package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PROXY protocol: read on a listener from trusted networks only, and sent first to TCP backends. */
@Timeout(30)
class ProxyProtocolEndToEndTest {

    private static Server backend;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, StandardCharsets.UTF_8.encode("xff=" + request.getHeaders().get("X-Forwarded-For")),
                        callback);
                return true;
            }
        });
        backend.start();
        String uri = "http://127.0.0.1:" + connector.getLocalPort();
        proxy = ProxyServer.builder()
                .accessLog(false)
                .listener(Listener.plain("127.0.0.1", 0).withProxyProtocolFrom("127.0.0.0/8"))
                .listener(Listener.plain("127.0.0.1", 0).withProxyProtocolFrom("10.0.0.0/8"))
                .route(r -> r.pathPrefix("/").upstream(uri))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void aTrustedPeersHeaderGivesTheClientsAddress() {
        String v1 = TestClient.raw(uri(0), "PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n"
                + TestClient.head("GET /a HTTP/1.1", "Host: x", "Connection: close"));
        assertThat(v1).startsWith("HTTP/1.1 200").endsWith("xff=203.0.113.7");

        String plain = TestClient.raw(uri(0), TestClient.head("GET /a HTTP/1.1", "Host: x", "Connection: close"));
        assertThat(plain).as("the header is allowed, not required").endsWith("xff=127.0.0.1");
    }

    @Test
    void anUntrustedPeersHeaderIsAMalformedRequest() {
        String response = TestClient.raw(uri(1), "PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n"
                + TestClient.head("GET /a HTTP/1.1", "Host: x", "Connection: close"));

        assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("203.0.113.7");
    }

    /**
     * Malformed headers from a trusted peer are refused, not read leniently: each is followed by a
     * good request that a lenient reader would answer 200 with the claimed address.
     */
    @Test
    void aTrustedPeersMalformedHeaderIsRefused() {
        String request = TestClient.head("GET /a HTTP/1.1", "Host: x", "Connection: close");
        // Not an IPv4 address.
        assertRefused(TestClient.raw(uri(0), "PROXY TCP4 999.0.113.7 127.0.0.1 5555 80\r\n" + request));
        // A v1 line longer than the spec's 107 bytes.
        assertRefused(TestClient.raw(uri(0), "PROXY TCP4 203.0.113.7 127.0.0.1 5555 80" + " ".repeat(80) + "\r\n" + request));
        // A port out of range.
        assertRefused(TestClient.raw(uri(0), "PROXY TCP4 203.0.113.7 127.0.0.1 70000 80\r\n" + request));
        // v2's signature with version 3 (only 2 exists), then a well-formed TCP4 block.
        String v2 = "\r\n\r\n\0\r\nQUIT\n" + (char) 0x31 + (char) 0x11 + (char) 0 + (char) 12
                + (char) 203 + (char) 0 + (char) 113 + (char) 7 + (char) 127 + (char) 0 + (char) 0 + (char) 1
                + (char) 0x15 + (char) 0xB3 + (char) 0 + (char) 80;
        assertRefused(TestClient.raw(uri(0), v2 + request));
    }

    private static void assertRefused(String response) {
        assertThat(response).as("no 200 for a malformed header").doesNotStartWith("HTTP/1.1 200")
                .doesNotContain("203.0.113.7").doesNotContain("999.0.113.7");
    }

    @Test
    void aTcpBackendGetsTheHeaderBeforeTheClientsBytes() throws Exception {
        try (ServerSocket tcpBackend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyServer tcp = ProxyServer.builder().accessLog(false)
                        .tcp(TcpListener.of(0, Upstream.of("http://127.0.0.1:" + tcpBackend.getLocalPort()))
                                .withHost("127.0.0.1").withProxyProtocol(ProxyProtocol.V1))
                        .build().start()) {
            CompletableFuture<String> received = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (Socket socket = tcpBackend.accept()) {
                    received.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            reader.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), tcp.tcpPort(0))) {
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                String got = received.get(10, TimeUnit.SECONDS);
                assertThat(got).matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 " + client.getLocalPort() + " "
                        + tcp.tcpPort(0) + "\r\nhello");
            }
        }
    }

    /** An upstream's own proxyProtocol applies behind a TCP listener that sets none: here v2's binary header. */
    @Test
    void aTcpListenersUpstreamWithAProxyProtocolSendsItsHeader() throws Exception {
        try (ServerSocket tcpBackend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ProxyServer tcp = ProxyServer.builder().accessLog(false)
                        .tcp(TcpListener.of(0, Upstream.builder().endpoint("http://127.0.0.1:" + tcpBackend.getLocalPort())
                                .proxyProtocol(ProxyProtocol.V2).build()).withHost("127.0.0.1"))
                        .build().start()) {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (Socket socket = tcpBackend.accept()) {
                    received.complete(socket.getInputStream().readAllBytes());
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            reader.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), tcp.tcpPort(0))) {
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                byte[] got = received.get(10, TimeUnit.SECONDS);
                // The v2 signature, then version 2 / PROXY, TCP over IPv4, 12 address bytes, then the client's bytes.
                byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C};
                assertThat(java.util.Arrays.copyOf(got, 16)).isEqualTo(signature);
                assertThat(((got[24] & 0xFF) << 8) | (got[25] & 0xFF)).as("source port").isEqualTo(client.getLocalPort());
                assertThat(new String(got, 28, got.length - 28, StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
        }
    }

    private static java.net.URI uri(int listener) {
        return java.net.URI.create("http://127.0.0.1:" + proxy.ports().get(listener));
    }
}
