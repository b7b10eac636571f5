package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Passive health on a TCP listener: refused connects count against the endpoint as gateway
 * failures, and a connection that opens ends their run (a TCP connection has no status to do it),
 * so refusals with a good connection between them never add up to an ejection; three in a row do.
 */
@Timeout(60)
class TcpPassiveHealthEndToEndTest {

    @Test
    void aConnectionThatOpensEndsTheRunOfRefusedConnects() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ProxyServer proxy = ProxyServer.builder().accessLog(false)
                .tcp(0, Upstream.builder().name("intermittent").endpoint("http://127.0.0.1:" + port)
                        .retryPolicy(RetryPolicy.none())
                        .outlierDetection(OutlierDetection.defaults().withConsecutiveGatewayFailures(3)
                                .withConsecutive5xx(0).withMaxEjectionPercent(100))
                        .build())
                .build().start()) {
            refused(proxy, 2);
            assertThat(status(proxy).consecutiveGatewayFailures()).isEqualTo(2);

            // The backend is up for one connection: its run of refusals ends when the connection opens.
            try (ServerSocket backend = bind(port)) {
                try (Socket client = connect(proxy.tcpPort(0)); Socket accepted = backend.accept()) {
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(accepted.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                            .isEqualTo("hello");
                }
            }
            assertThat(status(proxy).consecutiveGatewayFailures()).isZero();

            refused(proxy, 2);
            assertThat(status(proxy).ejected()).as("2 + 2 refusals with a connection between").isFalse();
            refused(proxy, 1);
            assertThat(status(proxy).ejected()).as("three refusals in a row").isTrue();
        }
    }

    /** {@code count} client connections, each refused by the backend and so closed by the proxy. */
    private static void refused(ProxyServer proxy, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            long before = status(proxy).consecutiveGatewayFailures();
            try (Socket client = connect(proxy.tcpPort(0))) {
                assertThat(client.getInputStream().read()).as("closed without a backend").isEqualTo(-1);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (status(proxy).consecutiveGatewayFailures() == before && !status(proxy).ejected()
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    private static EndpointStatus status(ProxyServer proxy) {
        return proxy.upstream("intermittent").orElseThrow().endpointStatuses().get(0);
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        return socket;
    }
}
