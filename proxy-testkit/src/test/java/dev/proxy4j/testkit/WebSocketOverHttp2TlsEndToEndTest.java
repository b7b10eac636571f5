package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.server.ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8441 over the TLS listener: an h2 client (ALPN h2, {@code :scheme https}) opens a WebSocket
 * on an HTTP/2 stream through the proxy's TLS termination to an HTTP/1.1 WebSocket backend.
 */
@Timeout(60)
class WebSocketOverHttp2TlsEndToEndTest {

    @TempDir
    static Path dir;
    private static WebSocketEchoBackend wsBackend;
    private static ProxyServer proxy;
    private static final LinkedBlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("proxy.p12");
        keytool("-genkeypair", "-alias", "proxy", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=proxy.test", "-ext", "SAN=dns:proxy.test,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
        wsBackend = new WebSocketEchoBackend();
        proxy = ProxyServer.builder()
                .listener(Listener.tls("127.0.0.1", 0, TlsConfig.builder().keyStore(store, "changeit").build()))
                .requestLogListener(logs::add)
                .route(r -> r.pathPrefix("/ws").upstream(wsBackend.uri()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        wsBackend.close();
    }

    @Test
    void aWebSocketOnAnH2StreamOverTlsEchoesTextBinaryPingAndTheBackendsCloseCode() throws Exception {
        try (Rfc8441Client ws = new Rfc8441Client(proxy.port(), "/ws/echo", Map.of("sec-websocket-protocol", "chat"),
                trustingClient())) {
            assertThat(ws.connectProtocolSetting()).as("SETTINGS_ENABLE_CONNECT_PROTOCOL over h2").isEqualTo(1);
            assertThat(ws.status()).isEqualTo(200);
            assertThat(ws.response.get().getHttpFields().get("sec-websocket-protocol")).isEqualTo("chat");

            ws.sendText("over h2 and TLS");
            Rfc8441Client.Message echo = ws.next();
            assertThat(echo.opcode()).isEqualTo(Rfc8441Client.TEXT);
            assertThat(echo.text()).isEqualTo("over h2 and TLS");

            byte[] big = new byte[4 << 20];
            new Random(8441).nextBytes(big);
            ws.send(Rfc8441Client.BINARY, big);
            Rfc8441Client.Message back = ws.next();
            assertThat(back.opcode()).isEqualTo(Rfc8441Client.BINARY);
            assertThat(Arrays.equals(back.payload(), big)).as("every byte of the 4 MiB message").isTrue();

            ws.send(Rfc8441Client.PING, "still there".getBytes(StandardCharsets.UTF_8));
            Rfc8441Client.Message pong = ws.next();
            assertThat(pong.opcode()).isEqualTo(Rfc8441Client.PONG);
            assertThat(pong.text()).isEqualTo("still there");

            ws.sendText("close:4002");
            Rfc8441Client.Message close = ws.next();
            assertThat(close.opcode()).isEqualTo(Rfc8441Client.CLOSE);
            assertThat(close.closeCode()).isEqualTo(4002);
            ws.send(Rfc8441Client.CLOSE, new byte[] {0x0F, (byte) 0xA2});
            assertThat(ws.ended.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        // The upgrade is logged as an h2 request, with 200.
        RequestLog upgrade = awaitLog(log -> log.status() == 200 && log.target().startsWith("/ws/echo"));
        assertThat(upgrade.protocol()).isEqualTo("HTTP/2.0");
    }

    private static RequestLog awaitLog(java.util.function.Predicate<RequestLog> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<RequestLog> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            RequestLog log = logs.poll(100, TimeUnit.MILLISECONDS);
            if (log != null) {
                if (wanted.test(log)) {
                    return log;
                }
                seen.add(log);
            }
        }
        throw new AssertionError("no such log line in 30 s; seen: " + seen);
    }

    /** Trusts the proxy's self-signed certificate; h2 by ALPN is what is under test. */
    private static SslContextFactory.Client trustingClient() {
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        tls.setEndpointIdentificationAlgorithm(null);
        return tls;
    }

    private static void keytool(String... args) throws Exception {
        List<String> line = new java.util.ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        line.addAll(List.of(args));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
