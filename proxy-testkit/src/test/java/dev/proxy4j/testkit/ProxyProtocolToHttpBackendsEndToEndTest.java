package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PROXY protocol to HTTP backends: a backend behind Jetty's {@link ProxyConnectionFactory}
 * sees the client's own address and port, v1 and v2, over HTTP/1.1 and h2c; one client
 * connection's requests share a backend connection, another client connection gets its own.
 */
@Timeout(60)
class ProxyProtocolToHttpBackendsEndToEndTest {

    private static Server backend;
    private static ServerConnector backendConnector;
    private static int backendPort;

    @BeforeAll
    static void startBackend() throws Exception {
        backend = new Server();
        HttpConnectionFactory http = new HttpConnectionFactory();
        ServerConnector connector = new ServerConnector(backend, new ProxyConnectionFactory(http.getProtocol()), http,
                new HTTP2CServerConnectionFactory(http.getHttpConfiguration()));
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // The client as the PROXY header named it, and the backend connection it came on.
                String seen = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request) + " "
                        + request.getConnectionMetaData().getProtocol() + " "
                        + request.getConnectionMetaData().getId();
                byte[] bytes = seen.getBytes(StandardCharsets.US_ASCII);
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH, bytes.length);
                response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
                return true;
            }
        });
        backend.start();
        backendConnector = connector;
        backendPort = connector.getLocalPort();
    }

    @AfterAll
    static void stopBackend() throws Exception {
        backend.stop();
    }

    static Stream<Arguments> versions() {
        return Stream.of(
                Arguments.of(ProxyProtocol.V1, UpstreamProtocol.HTTP_1_1),
                Arguments.of(ProxyProtocol.V2, UpstreamProtocol.HTTP_1_1),
                Arguments.of(ProxyProtocol.V1, UpstreamProtocol.HTTP_2),
                Arguments.of(ProxyProtocol.V2, UpstreamProtocol.HTTP_2));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("versions")
    void theBackendSeesEachClientConnectionsOwnAddressAndPort(ProxyProtocol version, UpstreamProtocol protocol)
            throws Exception {
        try (ProxyServer proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(u -> u.name("behind-proxy-protocol")
                        .endpoint("http://127.0.0.1:" + backendPort)
                        .protocol(protocol)
                        .proxyProtocol(version)
                        .healthCheck(HealthCheck.builder("/health").interval(Duration.ofMillis(200)).build())))
                .build().start();
                Socket first = connect(proxy.port());
                Socket second = connect(proxy.port())) {
            String[] a1 = get(first);
            String[] a2 = get(first);
            String[] b1 = get(second);

            assertThat(a1[0]).isEqualTo("127.0.0.1:" + first.getLocalPort());
            assertThat(a2[0]).isEqualTo(a1[0]);
            assertThat(b1[0]).isEqualTo("127.0.0.1:" + second.getLocalPort());
            assertThat(a1[1]).isEqualTo(protocol == UpstreamProtocol.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
            // One client connection's requests share a backend connection; another client's get one of their own.
            assertThat(a2[2]).isEqualTo(a1[2]);
            assertThat(b1[2]).isNotEqualTo(a1[2]);

            // More client connections than the proxy has loops, so that some share one: each still
            // gets a header with its own address, and a backend connection of its own.
            int more = 2 * Runtime.getRuntime().availableProcessors() + 2;
            java.util.Set<String> backendConnections = new java.util.HashSet<>(java.util.List.of(a1[2], b1[2]));
            for (int i = 0; i < more; i++) {
                try (Socket another = connect(proxy.port())) {
                    String[] answer = get(another);
                    assertThat(answer[0]).as("client connection %d of %d", i + 3, more + 2)
                            .isEqualTo("127.0.0.1:" + another.getLocalPort());
                    assertThat(backendConnections.add(answer[2])).as("a backend connection of its own").isTrue();
                }
            }

            // Their backend connections closed with them (as HAProxy's send-proxy), not at the idle
            // timeout: what stays open is first's, second's and the health checks' (one or two).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int open = backendConnector.getConnectedEndPoints().size();
            while (open > 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                open = backendConnector.getConnectedEndPoints().size();
            }
            assertThat(open).as("backend connections open after %d clients left", more).isLessThanOrEqualTo(4);

            // The health checks carry a header too (PROXY UNKNOWN, v2 LOCAL), which the backend accepts.
            EndpointStatus status = awaitCheck(proxy);
            assertThat(status.lastHealthCheck()).contains("passed: status 200");
        }
    }

    private static EndpointStatus awaitCheck(ProxyServer proxy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        EndpointStatus status = null;
        while (System.nanoTime() < deadline) {
            status = proxy.upstream("behind-proxy-protocol").orElseThrow().endpointStatuses().get(0);
            if (status.lastHealthCheck().isPresent()) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no health check in 30 s: " + status);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** One keep-alive GET on {@code socket}; the backend's answer split into its three words. */
    private static String[] get(Socket socket) throws IOException {
        socket.getOutputStream().write(TestClient.head("GET /who HTTP/1.1", "Host: proxy.test")
                .getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String status = in.readLine();
        assertThat(status).startsWith("HTTP/1.1 200");
        int length = -1;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        assertThat(length).isPositive();
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            assertThat(n).isPositive();
            read += n;
        }
        return new String(body).split(" ");
    }
}
