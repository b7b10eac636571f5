package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tunnel's ends: each close reaches the other side, a 101 a filter replaced closes the backend's
 * connection, and the pool gets every buffer back (the proxy runs on a leak-tracking pool).
 */
@Timeout(30)
class TunnelTest {

    private static final String UPGRADE_REQUEST = "GET /chat HTTP/1.1\r\nHost: example.test\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    private ServerSocket backend;
    private JettyServerFactory.Built proxy;
    private ArrayByteBufferPool.Tracking buffers;
    /** Completes when the backend's connection reads its end (or a reset). */
    private final CompletableFuture<Void> backendSawEnd = new CompletableFuture<>();

    @BeforeEach
    void startBackend() throws IOException {
        backend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serveOne, "switching-backend");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        if (proxy != null) {
            proxy.server().stop();
            // A connection closed at the end of a tunnel closes on its loop a moment later.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!buffers.getLeaks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(buffers.getLeaks()).as(buffers.dumpLeaks()).isEmpty();
        }
    }

    /** Answers the upgrade with 101, then echoes until the connection ends. */
    private void serveOne() {
        try (Socket socket = backend.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            readHead(in);
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            backendSawEnd.complete(null);
        } catch (IOException e) {
            backendSawEnd.complete(null);
        }
    }

    private void start(ProxyFilter filter) throws Exception {
        ProxyConfig config = ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.filter(filter).upstream("http://127.0.0.1:" + backend.getLocalPort()))
                .build();
        buffers = new ArrayByteBufferPool.Tracking();
        proxy = JettyServerFactory.create(config, new LoopBufferPool(buffers));
        proxy.server().start();
    }

    private Socket connect() throws IOException {
        int port = ((ServerConnector) proxy.server().getConnectors()[0]).getLocalPort();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void bytesGoBothWaysAndTheClientsCloseClosesTheBackend() throws Exception {
        start((ctx, request, next) -> next.proceed(request));
        try (Socket client = connect()) {
            client.getOutputStream().write(UPGRADE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            // More than one pool buffer each way.
            byte[] payload = "0123456789abcdef".repeat(8 * 1024).getBytes(StandardCharsets.ISO_8859_1);
            client.getOutputStream().write(payload);
            assertThat(client.getInputStream().readNBytes(payload.length)).isEqualTo(payload);
        }
        backendSawEnd.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatShutsItsOutputEndsTheBackendsInput() throws Exception {
        start((ctx, request, next) -> next.proceed(request));
        try (Socket client = connect()) {
            client.getOutputStream().write(UPGRADE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            client.getOutputStream().write("last words".getBytes(StandardCharsets.ISO_8859_1));
            client.shutdownOutput();

            backendSawEnd.get(5, TimeUnit.SECONDS);
            // The backend closed after its echo: the client reads the echo, then the end.
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("last words");
        }
    }

    @Test
    void aFilterThatReplacesThe101ClosesTheBackendsConnection() throws Exception {
        start((ctx, request, next) -> next.proceed(request)
                .thenApply(response -> ProxyResponse.text(403, "no tunnel for you")));
        try (Socket client = connect()) {
            client.getOutputStream().write(UPGRADE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 403");
        }
        backendSawEnd.get(5, TimeUnit.SECONDS);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
