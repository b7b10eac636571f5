package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.RetryBudget;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TCP listener's connect retries follow the HTTP retries' backoff: the first retry to an endpoint
 * not tried yet goes at once, a retry to the same endpoint waits the backoff (an hour here, so that a
 * retry made at once is told from one that waits: the waiting one holds its place in the retry
 * budget, where a test can see it).
 */
class TcpConnectBackoffEndToEndTest {

    /** The first selectable endpoint not tried yet, in the order they were added: the refusing one first. */
    private static final LoadBalancer FIRST = group -> (ctx, request, excluded) ->
            group.snapshot().selectable().stream()
                    .filter(state -> !excluded.contains(state.endpoint()))
                    .findFirst().orElse(null);
    private static final RetryPolicy PATIENT = RetryPolicy.builder().backoff(Duration.ofHours(1), Duration.ofHours(1))
            .build();

    private static ServerSocket echo;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(TcpConnectBackoffEndToEndTest::serve, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        // Port 1: nothing listens there; a port freed by a ServerSocket could be taken by another process meanwhile.
        int closed = 1;
        proxy = ProxyServer.builder().accessLog(false)
                .tcp(0, Upstream.builder().name("lone").endpoint("http://127.0.0.1:" + closed)
                        .retryPolicy(PATIENT).build())
                .tcp(0, Upstream.builder().name("pair").endpoint("http://127.0.0.1:" + closed)
                        .endpoint("http://127.0.0.1:" + echo.getLocalPort()).loadBalancer(FIRST)
                        .retryPolicy(PATIENT).build())
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        echo.close();
    }

    @Test
    void aRefusedEndpointIsPassedOverAtOnceForOneNotTriedYet() throws Exception {
        try (Socket client = connect(proxy.tcpPort(1))) {
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .as("through the second endpoint, with no hour's wait").isEqualTo("ping");
        }
    }

    @Test
    void aRetryToTheOnlyEndpointWaitsTheBackoffHoldingItsPlaceInTheBudget() throws Exception {
        RetryBudget budget = proxy.upstream("lone").orElseThrow().retryBudget();
        try (Socket client = connect(proxy.tcpPort(0))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (budget.activeRetries() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(budget.activeRetries()).as("a retry waiting its backoff").isEqualTo(1);
            assertThat(budget.activeRequests()).as("the first attempt done, the retry waiting").isEqualTo(1);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Echoes each connection's bytes and closes at the end of its input. */
    private static void serve() {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread t = new Thread(() -> {
                    try (socket) {
                        InputStream in = socket.getInputStream();
                        socket.getOutputStream().write(in.readAllBytes());
                    } catch (IOException e) {
                        // The client went: nothing to do.
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
