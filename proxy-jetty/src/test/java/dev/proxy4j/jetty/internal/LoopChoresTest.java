package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's set-up and tear-down run on the loop that has them at hand (LoopChores), client
 * and backend connections alike, and every connection is still counted in and out: the limits see
 * each one released, also one closed by its idle timeout on the scheduler's thread.
 */
class LoopChoresTest {

    private static final int CONNECTIONS = 40;

    private Server backend;
    private JettyServerFactory.@Nullable Built proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if (path.startsWith("/close")) {
                    // The backend ends its connection: the proxy opens a new one for the next request.
                    response.getHeaders().put("Connection", "close");
                }
                Content.Sink.write(response, true, path.substring(1), callback);
                return true;
            }
        });
        backend.start();
        proxy = JettyServerFactory.create(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .clientIdleTimeout(Duration.ofMillis(300))
                .route(r -> r.upstream(Upstream.of("http://127.0.0.1:" + connector.getLocalPort())))
                .build(), null);
        proxy.server().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.server().stop();
        }
        backend.stop();
    }

    @Test
    void thisJettyHasTheThreeChores() {
        assertThat(LoopChores.known()).isEqualTo(3);
    }

    @Test
    void clientConnectionsAreSetUpAndTornDownOnTheirLoop() throws Exception {
        long before = connector().choresOnLoops();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket socket = client()) {
                send(socket, "GET /c" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                InputStream in = socket.getInputStream();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("c" + i);
                assertThat(in.read()).as("the proxy closes after a Connection: close response").isEqualTo(-1);
            }
        }
        // An accept and a close per connection, each on a loop; the connections are all counted out.
        await(() -> connector().choresOnLoops() - before >= 2L * CONNECTIONS);
        await(() -> connector().openConnections() == 0);
    }

    @Test
    void backendConnectionsAreSetUpOnTheirLoop() throws Exception {
        try (Socket socket = client()) {
            InputStream in = socket.getInputStream();
            long before = connector().choresOnLoops();
            for (int i = 0; i < CONNECTIONS; i++) {
                send(socket, "GET /close" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("close" + i);
            }
            // Each backend connection was made (and ended) on the loop of the client connection.
            await(() -> connector().choresOnLoops() - before >= CONNECTIONS);
            assertThat(connector().openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionClosedByItsIdleTimeoutIsCountedOut() throws Exception {
        try (Socket socket = client()) {
            send(socket, "GET /idle HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(readResponse(in)).endsWith("idle");
            assertThat(connector().openConnections()).isEqualTo(1);
            // Closed by the scheduler's thread: its tear-down goes to the pool, and still counts it out.
            assertThat(in.read()).isEqualTo(-1);
            await(() -> connector().openConnections() == 0);
        }
    }

    private Socket client() throws IOException {
        Socket socket = new Socket("127.0.0.1", connector().getLocalPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private LoopConnector connector() {
        return (LoopConnector) proxy.server().getConnectors()[0];
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One response with a Content-Length body, head and body as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("end of stream inside a response head").isNotNegative();
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        assertThat(at).as("a Content-Length in %s", text).isNotNegative();
        int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).trim());
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
