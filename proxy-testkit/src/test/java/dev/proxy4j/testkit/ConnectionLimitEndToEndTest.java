package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.TcpListener;
import dev.proxy4j.upstream.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection limits through a real proxy, with raw sockets: the connection over a limit is closed
 * before anything is read, and every kind of close gives its place back.
 */
@Timeout(60)
class ConnectionLimitEndToEndTest {

    private static final String OTHER_ADDRESS = "127.0.0.2";

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    /** Two per address, three per listener; the TCP listener shares the per-address count. */
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.of(b -> b
            .maxConnectionsPerIp(2)
            .maxConnectionsPerListener(3)
            .tcp(TcpListener.of(0, Upstream.of(backend.uri().toString())).withHost("127.0.0.1"))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    /** One per address, and idle connections closed after a second. */
    @RegisterExtension
    final ProxyExtension idle = ProxyExtension.of(b -> b
            .maxConnectionsPerIp(1)
            .clientIdleTimeout(Duration.ofSeconds(1))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private Socket open(int port, String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private Socket open(int port) throws IOException {
        return open(port, "127.0.0.1");
    }

    /** Sends a GET on the socket and reads its answer: 200 and the body, or refused (closed or reset). */
    private static boolean exchanged(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (!complete(received.toString(StandardCharsets.US_ASCII))) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                received.write(b);
            }
            assertThat(received.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither answered nor closed", e);
        } catch (IOException e) {
            // Reset by the proxy, or the write failed on a connection it already closed.
            return false;
        }
    }

    /** The whole response: its body read, and with chunked framing, the last chunk too. */
    private static boolean complete(String response) {
        boolean chunked = response.contains("Transfer-Encoding: chunked");
        return chunked ? response.contains("from backend") && response.endsWith("\r\n0\r\n\r\n")
                : response.endsWith("from backend");
    }

    /** A new connection from {@code from} is admitted, once the proxy has seen an earlier one close. */
    private boolean admittedSoon(int port, String from) throws Exception {
        for (int attempt = 0; attempt < 250; attempt++) {
            if (exchanged(open(port, from))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void theThirdConnectionFromOneAddressIsClosedAndOneIsAdmittedAgainAfterAClose() throws Exception {
        Socket first = open(proxy.port());
        Socket second = open(proxy.port());
        assertThat(exchanged(first)).isTrue();
        assertThat(exchanged(second)).isTrue();

        assertThat(exchanged(open(proxy.port()))).as("over maxConnectionsPerIp").isFalse();
        assertThatThrownBy(() -> proxy.http2Client().get("/x")).as("HTTP/2 as well").isInstanceOf(IllegalStateException.class);

        first.close();
        assertThat(admittedSoon(proxy.port(), "127.0.0.1")).isTrue();
        assertThat(exchanged(second)).as("the others untouched").isTrue();
    }

    @Test
    void aResetGivesItsPlaceBack() throws Exception {
        Socket first = open(proxy.port());
        Socket second = open(proxy.port());
        assertThat(exchanged(first)).isTrue();
        assertThat(exchanged(second)).isTrue();
        assertThat(exchanged(open(proxy.port()))).isFalse();

        first.setSoLinger(true, 0);
        first.close();

        assertThat(admittedSoon(proxy.port(), "127.0.0.1")).isTrue();
    }

    @Test
    void aConnectionClosedOnIdleTimeoutGivesItsPlaceBack() throws Exception {
        Socket held = open(idle.port());
        assertThat(exchanged(held)).isTrue();
        assertThat(exchanged(open(idle.port()))).isFalse();

        assertThat(held.getInputStream().read()).as("closed by the proxy when idle").isEqualTo(-1);

        assertThat(admittedSoon(idle.port(), "127.0.0.1")).isTrue();
    }

    @Test
    void addressesAreCountedApartAndTheListenerInAll() throws Exception {
        assertThat(exchanged(open(proxy.port()))).isTrue();
        assertThat(exchanged(open(proxy.port()))).isTrue();
        Socket other = open(proxy.port(), OTHER_ADDRESS);
        assertThat(exchanged(other)).as("another address has places of its own").isTrue();

        assertThat(exchanged(open(proxy.port(), OTHER_ADDRESS))).as("over maxConnectionsPerListener").isFalse();

        other.close();
        assertThat(admittedSoon(proxy.port(), OTHER_ADDRESS)).isTrue();
    }

    @Test
    void aTcpListenerCountsAgainstTheSameAddress() throws Exception {
        int tcp = proxy.server().tcpPort(0);
        Socket http = open(proxy.port());
        assertThat(exchanged(http)).isTrue();
        Socket raw = open(tcp);
        assertThat(exchanged(raw)).as("a tunnel to the backend").isTrue();

        assertThat(exchanged(open(tcp))).as("two already open from this address").isFalse();
        assertThat(exchanged(open(proxy.port()))).isFalse();

        raw.close();
        assertThat(admittedSoon(tcp, "127.0.0.1")).isTrue();
    }
}
