package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointState.Health;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpExample}: raw TCP to the backends; a stopped backend is checked out and gets no connection. */
@Timeout(60)
class TcpExampleTest {

    private Server a;
    private Server b;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        Quickstart.stopQuietly(a);
        Quickstart.stopQuietly(b);
    }

    @Test
    void aStoppedBackendIsTakenOutByItsConnectChecksAndTheOtherTakesEveryConnection() throws Exception {
        a = Quickstart.demoBackend("a");
        b = Quickstart.demoBackend("b");
        proxy = ProxyServer.of(TcpExample.config(0, Quickstart.uri(a), Quickstart.uri(b), Duration.ofMillis(200))).start();
        assertThat(get()).contains("200");

        a.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (proxy.upstream("pair").orElseThrow().endpointStatuses().get(0).health() != Health.UNHEALTHY) {
            assertThat(System.nanoTime()).as("a checked down within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(get()).startsWith("HTTP/1.1 200").contains("b got GET /");
        }
    }

    /** One HTTP/1.1 GET as raw bytes through the TCP port. */
    private String get() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.tcpPort(0))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
