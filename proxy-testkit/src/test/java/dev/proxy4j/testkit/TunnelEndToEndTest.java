package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket upgrades through the proxy: routed and filtered as requests, then a tunnel of raw
 * bytes to the backend that agreed to switch, with half-closes passed on.
 */
@Timeout(30)
class TunnelEndToEndTest {

    private static WebSocketEchoBackend wsBackend;
    private static URI wsUri;
    private static Upstream wsUpstream;
    private static ProxyServer proxy;
    private static final LinkedBlockingQueue<dev.proxy4j.log.RequestLog> logs = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        wsBackend = new WebSocketEchoBackend();
        wsUri = wsBackend.uri();

        wsUpstream = Upstream.of(wsUri.toString());
        proxy = ProxyServer.builder()
                .listen(0)
                .requestLogListener(logs::add)
                .route(r -> r.pathPrefix("/ws").upstream(wsUpstream))
                .route(r -> r.pathPrefix("/no-upgrades").upgrades().upstream(wsUri))
                .route(r -> r.pathPrefix("/guarded")
                        .filter((ctx, request, next) -> request.headers().get("X-Token") == null
                                ? CompletableFuture.completedFuture(ProxyResponse.builder(403).build())
                                : next.proceed(request))
                        .upstream(wsUri))
                .route(r -> r.pathPrefix("/refused").upstream("http://127.0.0.1:" + closedPort()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        wsBackend.close();
    }

    @Test
    void aWebSocketClientTalksToTheBackendThroughTheProxy() throws Exception {
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/echo", messages, "chat");

        assertThat(socket.getSubprotocol()).isEqualTo("chat");
        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("hello");
        String large = "x".repeat(200_000);
        socket.sendText(large, true).get(5, TimeUnit.SECONDS);
        assertSame(large, messages.next());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(messages.closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    /** Jetty's WebSocket client over HTTP/1.1 (the HTTP/2 one: WebSocketOverHttp2EndToEndTest). */
    @Test
    void jettysWebSocketClientTalksToTheBackendThroughTheProxy() throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(1 << 20);
        client.setMaxBinaryMessageSize(16 << 20);
        client.start();
        try {
            WebSocketOverHttp2EndToEndTest.Received received = new WebSocketOverHttp2EndToEndTest.Received();
            org.eclipse.jetty.websocket.client.ClientUpgradeRequest request = new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
            request.setSubProtocols("chat");
            // Compressed frames (RSV1 set) pass the tunnel as they are: the extension is the two ends'.
            request.addExtensions("permessage-deflate");
            Session session = client.connect(received, URI.create("ws://127.0.0.1:" + proxy.port() + "/ws/echo"), request)
                    .get(10, TimeUnit.SECONDS);

            assertThat(session.getUpgradeResponse().getStatusCode()).isEqualTo(101);
            assertThat(session.getUpgradeResponse().getAcceptedSubProtocol()).isEqualTo("chat");
            assertThat(session.getUpgradeResponse().getExtensions()).extracting(e -> e.getName())
                    .contains("permessage-deflate");
            session.sendText("over h1", org.eclipse.jetty.websocket.api.Callback.NOOP);
            assertThat(received.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("over h1");
            byte[] big = new byte[10 << 20];
            new java.util.Random(11).nextBytes(big);
            session.sendBinary(java.nio.ByteBuffer.wrap(big), org.eclipse.jetty.websocket.api.Callback.NOOP);
            byte[] back = received.binaries.poll(30, TimeUnit.SECONDS);
            assertThat(back).as("the 10 MiB message").isNotNull();
            assertThat(java.util.Arrays.equals(back, big)).as("every byte of it").isTrue();
            session.sendText("close:4003", org.eclipse.jetty.websocket.api.Callback.NOOP);
            assertThat(received.closed.get(10, TimeUnit.SECONDS)).as("the backend's close code").isEqualTo(4003);
        } finally {
            client.stop();
        }
    }

    @Test
    void binaryMessagesOfTenMebibytesPingsAndCloseCodesGoEndToEnd() throws Exception {
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/echo", messages);

        byte[] big = new byte[10 << 20];
        new java.util.Random(7).nextBytes(big);
        socket.sendBinary(java.nio.ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        byte[] back = messages.binaries.poll(10, TimeUnit.SECONDS);
        assertThat(back).as("the 10 MiB message").isNotNull();
        assertThat(java.util.Arrays.equals(back, big)).as("every byte of it").isTrue();

        socket.sendPing(StandardCharsets.UTF_8.encode("are you there")).get(5, TimeUnit.SECONDS);
        assertThat(messages.pongs.poll(5, TimeUnit.SECONDS)).isEqualTo("are you there");

        socket.sendText("close:4001", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.closed.get(5, TimeUnit.SECONDS)).as("the backend's close code").isEqualTo(4001);
    }

    @Test
    void aBackendThatDeclinesToSwitchHasItsAnswerRelayed() {
        assertThatThrownBy(() -> connect("/ws/refuse", new Messages()))
                .hasRootCauseMessage("Unexpected HTTP response status code 403");
    }

    @Test
    void theEndpointCountsTheTunnelInFlightUntilItCloses() throws Exception {
        Endpoint endpoint = wsUpstream.group().snapshot().members().get(0).endpoint();
        // Other tests' tunnels to the same endpoint close asynchronously: start from none in flight.
        awaitInFlight(endpoint, 0);
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/echo", messages);
        socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("ping");

        assertThat(inFlight(endpoint)).isEqualTo(1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        messages.closed.get(5, TimeUnit.SECONDS);
        awaitInFlight(endpoint, 0);
    }

    private static void awaitInFlight(Endpoint endpoint, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight(endpoint) != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(inFlight(endpoint)).isEqualTo(expected);
    }

    @Test
    void theOpenTunnelsGaugeCountsAWebSocketFromItsOpeningToItsClose() throws Exception {
        // Tunnels of earlier tests may still be closing: start from none.
        for (int i = 0; i < 1000 && proxy.status().openTunnels() != 0; i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.status().openTunnels()).isZero();
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/echo", messages);
        socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("ping");

        assertThat(proxy.status().openTunnels()).isEqualTo(1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        messages.closed.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 1000 && proxy.status().openTunnels() != 0; i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.status().openTunnels()).isZero();
    }

    @Test
    void aClosedTunnelIsLoggedWithItsBytesEachWay() throws Exception {
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/logged", messages);
        socket.sendText("x".repeat(1000), true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).hasSize(1000);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        messages.closed.get(5, TimeUnit.SECONDS);

        dev.proxy4j.log.RequestLog closed = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (closed == null && System.nanoTime() < deadline) {
            dev.proxy4j.log.RequestLog log = logs.poll(100, TimeUnit.MILLISECONDS);
            if (log != null && log.method().equals("TUNNEL") && log.target().equals("/ws/logged")) {
                closed = log;
            }
        }
        assertThat(closed).as("the tunnel's log").isNotNull();
        assertThat(closed.protocol()).isEqualTo("websocket");
        assertThat(closed.status()).isEqualTo(101);
        // The client's frames are masked and framed: a little more than the text each way.
        assertThat(closed.requestBodyBytes()).isGreaterThan(1000);
        assertThat(closed.responseBodyBytes()).isGreaterThan(1000);
        assertThat(closed.attempts()).hasSize(1);
    }

    @Test
    void aRouteThatAllowsNoUpgradeSendsAPlainRequest() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /no-upgrades/echo HTTP/1.1",
                "Host: localhost", "Upgrade: websocket", "Connection: Upgrade, close", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));

        assertThat(response).startsWith("HTTP/1.1 200").endsWith("plain, upgrade=null");
    }

    @Test
    void aFilterDecidesBeforeTheTunnelOpens() throws Exception {
        assertThatThrownBy(() -> connect("/guarded/echo", new Messages()))
                .hasRootCauseMessage("Unexpected HTTP response status code 403");

        Messages messages = new Messages();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("X-Token", "t")
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/guarded/echo"), messages)
                .get(5, TimeUnit.SECONDS);
        socket.sendText("let in", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("let in");
        socket.abort();
    }

    @Test
    void anUpgradeToADownBackendGets502() {
        String response = TestClient.raw(proxy.uri(), TestClient.head("GET /refused/echo HTTP/1.1",
                "Host: localhost", "Upgrade: websocket", "Connection: Upgrade, close", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));

        assertThat(response).startsWith("HTTP/1.1 502");
    }

    /**
     * On the wire: what the backend gets, bytes either side sent early (right behind its head), and a
     * half-close each way.
     */
    @Test
    void bytesFlowBothWaysAndAHalfCloseIsPassedOn() throws Exception {
        try (RawBackend backend = new RawBackend();
                ProxyServer rawProxy = ProxyServer.builder().listen(0)
                        .route(r -> r.pathPrefix("/").upstream(backend.uri())).build().start();
                Socket client = new Socket(InetAddress.getLoopbackAddress(), rawProxy.port())) {
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write((TestClient.head("GET /chat HTTP/1.1", "Host: example.test", "Upgrade: websocket",
                    "Connection: keep-alive, Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==") + "early-from-client").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = client.getInputStream();

            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(readExactly(in, "early-from-backend".length())).isEqualTo("early-from-backend");

            String request = backend.head.get(5, TimeUnit.SECONDS);
            assertThat(request).startsWith("GET /chat HTTP/1.1").containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade")
                    .contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
                    .containsIgnoringCase("host: example.test")
                    .doesNotContainIgnoringCase("keep-alive");
            assertThat(backend.received.poll(5, TimeUnit.SECONDS)).isEqualTo("early-from-client");

            out.write("more".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(backend.received.poll(5, TimeUnit.SECONDS)).isEqualTo("more");
            assertThat(readExactly(in, "echo:more".length())).isEqualTo("echo:more");

            client.shutdownOutput();
            // The backend saw the end of the client's bytes, and its last words still come back.
            assertThat(readAll(in)).isEqualTo("bye");
        }
    }

    /** A long message compared without printing it whole. */
    private static void assertSame(String expected, String actual) {
        assertThat(actual).as("a message").isNotNull();
        assertThat(actual.length()).as("its length").isEqualTo(expected.length());
        assertThat(actual.equals(expected)).as("its text").isTrue();
    }

    private static int inFlight(Endpoint endpoint) {
        return wsUpstream.group().state(endpoint).map(EndpointState::inFlight).orElseThrow();
    }

    private static WebSocket connect(String path, Messages messages, String... subprotocols)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + path), messages)
                .get(5, TimeUnit.SECONDS);
    }

    static String readHead(InputStream in) throws IOException {
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

    private static String readExactly(InputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Echoes each text message back. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            if (message.startsWith("close:")) {
                getSession().close(Integer.parseInt(message.substring(6)), "asked to",
                        org.eclipse.jetty.websocket.api.Callback.NOOP);
                return;
            }
            getSession().sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(java.nio.ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            getSession().sendBinary(copy, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    /** Collects the text messages a JDK WebSocket receives. */
    private static final class Messages implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final LinkedBlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
        private final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partialBinary.writeBytes(bytes);
            if (last) {
                binaries.add(partialBinary.toByteArray());
                partialBinary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String text = texts.poll(5, TimeUnit.SECONDS);
            assertThat(text).as("a message within 5 s").isNotNull();
            return text;
        }
    }

    /**
     * A backend on a plain socket: records the upgrade request's head, answers 101 with bytes right
     * behind it, echoes what comes ("echo:" + bytes) until the client's end, then says "bye" and closes.
     */
    private static final class RawBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final CompletableFuture<String> head = new CompletableFuture<>();
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final Thread thread = new Thread(this::serve, "raw-backend");

        RawBackend() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void serve() {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                head.complete(readHead(in));
                out.write((TestClient.head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket",
                        "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                        + "early-from-backend").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                byte[] buffer = new byte[1024];
                int n;
                boolean first = true;
                while ((n = in.read(buffer)) >= 0) {
                    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    received.add(text);
                    if (!first) {
                        out.write(("echo:" + text).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    first = false;
                }
                out.write("bye".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                head.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
