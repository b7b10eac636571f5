package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.server.ProxyServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A WebSocket upgrade to an upstream that takes the PROXY protocol: the backend connection the
 * tunnel runs on begins with a PROXY header naming the client's own address and port (v1 and v2),
 * then the handshake, and carries the client's bytes both ways once the backend switched.
 */
@Timeout(60)
class WebSocketToProxyProtocolUpstreamEndToEndTest {

    private ServerSocket backend;
    private ProxyServer proxy;

    @BeforeEach
    void startBackend() throws IOException {
        backend = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        backend.setSoTimeout(30_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(ProxyProtocol.class)
    void theTunnelsBackendConnectionBeginsWithTheClientsProxyHeader(ProxyProtocol version) throws Exception {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(u -> u.name("behind-proxy-protocol")
                        .endpoint("http://127.0.0.1:" + backend.getLocalPort())
                        .proxyProtocol(version)))
                .build().start();

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write(TestClient.head("GET /chat HTTP/1.1", "Host: localhost",
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").getBytes(StandardCharsets.ISO_8859_1));
            try (Socket server = backend.accept()) {
                server.setSoTimeout(30_000);
                InputStream in = server.getInputStream();

                int sourcePort = version == ProxyProtocol.V1 ? v1SourcePort(in) : v2SourcePort(in);
                String head = TunnelEndToEndTest.readHead(in);
                String key = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
                server.getOutputStream().write(TestClient.head("HTTP/1.1 101 Switching Protocols",
                        "Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Accept: " + TunnelFailuresEndToEndTest.accept(key))
                        .getBytes(StandardCharsets.ISO_8859_1));

                assertThat(sourcePort).as("the PROXY header's source port").isEqualTo(client.getLocalPort());
                assertThat(head).startsWith("GET /chat HTTP/1.1\r\n");
                assertThat(TunnelEndToEndTest.readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");

                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
                server.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .isEqualTo("pong");
            }
        }
    }

    /** Reads a v1 header line ({@code PROXY TCP4 src dst sport dport}); its source port. */
    private static int v1SourcePort(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        String[] words = line.toString().strip().split(" ");
        assertThat(words).as("v1 header %s", line).hasSize(6);
        assertThat(words[0]).isEqualTo("PROXY");
        assertThat(words[1]).isEqualTo("TCP4");
        assertThat(words[2]).isEqualTo("127.0.0.1");
        return Integer.parseInt(words[4]);
    }

    /** Reads a v2 header (signature, PROXY command, TCP over IPv4); its source port. */
    private static int v2SourcePort(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] signature = data.readNBytes(12);
        assertThat(signature).isEqualTo(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        assertThat(data.readUnsignedByte()).as("version 2, PROXY command").isEqualTo(0x21);
        assertThat(data.readUnsignedByte()).as("TCP over IPv4").isEqualTo(0x11);
        int length = data.readUnsignedShort();
        byte[] addresses = data.readNBytes(length);
        assertThat(length).isGreaterThanOrEqualTo(12);
        assertThat(InetAddress.getByAddress(java.util.Arrays.copyOfRange(addresses, 0, 4)).getHostAddress())
                .isEqualTo("127.0.0.1");
        return ((addresses[8] & 0xff) << 8) | (addresses[9] & 0xff);
    }
}
