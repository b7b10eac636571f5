package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Upstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** ProxyStatus.openTunnels() counts a TCP tunnel from its first byte to its close. */
class OpenTunnelsTest {

    @Test
    void aTcpConnectionIsCountedWhileItIsOpen() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket accepted = echo.accept()) {
                    accepted.getInputStream().transferTo(accepted.getOutputStream());
                } catch (java.io.IOException ignored) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            ProxyServer proxy = ProxyServer.builder().accessLog(false)
                    .tcp(0, Upstream.of("http://127.0.0.1:" + echo.getLocalPort())).build().start();
            try {
                assertThat(proxy.status().openTunnels()).isZero();
                try (Socket client = new Socket("127.0.0.1", proxy.tcpPort(0))) {
                    client.setSoTimeout(10_000);
                    OutputStream out = client.getOutputStream();
                    out.write("ping".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = client.getInputStream();
                    assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");

                    assertThat(proxy.status().openTunnels()).isEqualTo(1);
                }
                assertThat(eventually(() -> proxy.status().openTunnels(), 0)).isZero();
            } finally {
                proxy.stop();
            }
        }
    }

    /** The value once it is {@code expected}, or the last one seen after 5 s. */
    private static int eventually(IntSupplier value, int expected) throws InterruptedException {
        int seen = value.getAsInt();
        for (int i = 0; i < 500 && seen != expected; i++) {
            Thread.sleep(10);
            seen = value.getAsInt();
        }
        return seen;
    }
}
