package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.TcpListener;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointState.Health;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Active health checks of TCP upstreams: TCP connects, HAProxy's {@code check} on a {@code mode tcp}
 * server. A backend that stops accepting is taken out after {@code fall} refused connects and no
 * new connection is forwarded to it; it comes back after {@code rise} connects that succeed.
 */
@Timeout(60)
class TcpHealthEndToEndTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private final LinkedBlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();
    private NamedServer a;
    private NamedServer b;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        for (NamedServer server : new NamedServer[] {a, b}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private ProxyServer start(HealthCheck check) throws Exception {
        a = new NamedServer("a", 0);
        b = new NamedServer("b", 0);
        proxy = ProxyServer.builder()
                .accessLog(false)
                .admin(0)
                .requestLogListener(logs::add)
                .tcp(TcpListener.of(0, Upstream.builder().name("pair")
                        .endpoint("http://127.0.0.1:" + a.port()).endpoint("http://127.0.0.1:" + b.port())
                        .loadBalancer(LoadBalancer.roundRobin())
                        .healthCheck(check)
                        .build()).withHost("127.0.0.1"))
                .build()
                .start();
        return proxy;
    }

    @Test
    void aClosedBackendGetsNoNewConnectionOnceItsConnectsFailAndComesBackAfterItsRise() throws Exception {
        start(HealthCheck.tcpBuilder().interval(INTERVAL).rise(2).fall(2).build());
        awaitStatus("b", s -> s.lastHealthCheck().orElse("").equals("passed: connected"));
        assertThat(namesOverConnections(6)).containsOnly("a", "b");
        awaitLogs(6);

        int port = b.port();
        b.close();
        EndpointStatus down = awaitStatus("b", s -> s.health() == Health.UNHEALTHY);
        assertThat(down.lastHealthCheck()).contains("failed: connection refused");
        assertThat(down.selectable()).isFalse();
        assertThat(admin("/upstreams")).contains("\"name\":\"pair\"").contains("\"health\":\"unhealthy\"")
                .contains("\"lastHealthCheck\":\"failed: connection refused\"");

        assertThat(namesOverConnections(6)).containsOnly("a");
        // Not a refused connect retried on the other endpoint: the balancer never chose b.
        List<RequestLog> forwarded = awaitLogs(6);
        for (RequestLog log : forwarded) {
            assertThat(log.attempts()).extracting(Attempt::endpoint)
                    .extracting(endpoint -> endpoint.port()).containsExactly(a.port());
        }

        b = new NamedServer("b", port);
        awaitStatus("b", s -> s.health() == Health.HEALTHY);
        assertThat(namesOverConnections(6)).containsOnly("a", "b");
    }

    @Test
    void anHttpCheckOnAnUpstreamReachedOnlyByTcpIsRunAsATcpConnect() throws Exception {
        // The backends speak no HTTP: a GET would fail, and take them both out.
        start(HealthCheck.builder("/health").interval(INTERVAL).rise(2).fall(2).build());

        for (String name : List.of("a", "b")) {
            EndpointStatus status = awaitStatus(name, s -> s.lastHealthCheck().isPresent());
            assertThat(status.lastHealthCheck()).contains("passed: connected");
            assertThat(status.health()).isEqualTo(Health.HEALTHY);
        }
        int port = b.port();
        b.close();
        awaitStatus("b", s -> s.health() == Health.UNHEALTHY);
        b = new NamedServer("b", port);
        awaitStatus("b", s -> s.health() == Health.HEALTHY);
    }

    /**
     * A backend whose connects hang (its accept queue full, so the kernel drops the SYNs, as Linux
     * does) fails its checks at their timeout and goes down.
     */
    @Test
    void aConnectThatHangsPastTheTimeoutFailsTheCheck() throws Exception {
        try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket first = new Socket();
                Socket second = new Socket();
                ProxyServer checking = ProxyServer.builder().accessLog(false)
                        .tcp(TcpListener.of(0, Upstream.builder().name("stuck")
                                .endpoint("http://127.0.0.1:" + stuck.getLocalPort())
                                .healthCheck(HealthCheck.tcpBuilder().interval(INTERVAL).timeout(Duration.ofMillis(300))
                                        .fall(2).build())
                                .build()).withHost("127.0.0.1"))
                        .build()) {
            // Fill the queue, never accepting: the next connects get no answer.
            first.connect(stuck.getLocalSocketAddress(), 5_000);
            second.connect(stuck.getLocalSocketAddress(), 5_000);
            checking.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            EndpointStatus status = checking.upstream("stuck").orElseThrow().endpointStatuses().get(0);
            while (status.health() != Health.UNHEALTHY && System.nanoTime() < deadline) {
                Thread.sleep(20);
                status = checking.upstream("stuck").orElseThrow().endpointStatuses().get(0);
            }
            assertThat(status.health()).isEqualTo(Health.UNHEALTHY);
            assertThat(status.lastHealthCheck()).contains("failed: timed out after 300ms");
        }
    }

    /** The backend names read over {@code n} connections through the proxy, one after another. */
    private List<String> namesOverConnections(int n) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.tcpPort(0))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write('?');
                client.shutdownOutput();
                names.add(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
        return names;
    }

    private EndpointStatus awaitStatus(String name, Predicate<EndpointStatus> condition) throws InterruptedException {
        int port = (name.equals("a") ? a : b).port();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        EndpointStatus last = null;
        while (System.nanoTime() < deadline) {
            for (EndpointStatus status : proxy.upstream("pair").orElseThrow().endpointStatuses()) {
                if (status.endpoint().port() == port) {
                    last = status;
                    if (condition.test(status)) {
                        return status;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("endpoint " + name + " never got there: " + last);
    }

    /** The request logs of {@code n} connections, each logged when it has closed. */
    private List<RequestLog> awaitLogs(int n) throws InterruptedException {
        List<RequestLog> got = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.size() < n && System.nanoTime() < deadline) {
            RequestLog log = logs.poll(100, TimeUnit.MILLISECONDS);
            if (log != null) {
                got.add(log);
            }
        }
        assertThat(got).hasSize(n);
        return got;
    }

    private String admin(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.adminPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Answers each connection with its name, once the client's input has ended; a health check's connect is just closed. */
    private static final class NamedServer implements AutoCloseable {
        private final ServerSocket server;
        private final String name;
        private final Set<Socket> open = java.util.Collections.synchronizedSet(new HashSet<>());

        NamedServer(String name, int port) throws IOException {
            this.name = name;
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            Thread acceptor = new Thread(this::accept, "named-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    Thread thread = new Thread(() -> serve(socket), "named-" + name);
                    thread.setDaemon(true);
                    thread.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                in.readAllBytes();
                out.write(name.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closed) {
                // A health check's connection, closed at once, or the server closing.
            } catch (IOException e) {
                // The test sees what it sees.
            } finally {
                open.remove(socket);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (open) {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }
}
