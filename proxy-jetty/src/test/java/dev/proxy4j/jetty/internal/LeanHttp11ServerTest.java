package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
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
 * The lean HTTP/1.1 server connection ({@link LeanHttp11Server}) through a real proxy to a real
 * backend, over raw sockets so that the bytes on the wire are the test's: which requests it serves
 * itself, that every other one reaches Jetty's connection with all its bytes, pipelining, HEAD,
 * {@code Connection: close}, and that its buffers go back to the pool.
 */
class LeanHttp11ServerTest {

    private Server backend;
    /** What the backend received: "METHOD /path body". */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ArrayByteBufferPool.Tracking buffers;
    private JettyServerFactory.@Nullable Built proxy;

    @BeforeEach
    void start() throws Exception {
        LeanHttp11Server.enabled = true;
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                String path = Request.getPathInContext(request);
                seen.add(request.getMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
                if (path.equals("/huge")) {
                    // 64 MiB in 64 KiB writes: far more than the sockets between client and proxy hold.
                    writeHuge(response, 1024, callback);
                    return true;
                }
                if (path.equals("/chunked")) {
                    response.write(false, StandardCharsets.US_ASCII.encode("part one, "),
                            Callback.from(() -> response.write(true, StandardCharsets.US_ASCII.encode("part two"),
                                    callback), callback::failed));
                    return true;
                }
                byte[] bytes = ("hello " + path).getBytes(StandardCharsets.US_ASCII);
                response.getHeaders().put("Content-Length", bytes.length);
                response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
                return true;
            }
        });
        backend.start();
        startProxy(Duration.ofSeconds(30));
    }

    private void startProxy(Duration clientIdleTimeout) throws Exception {
        buffers = new ArrayByteBufferPool.Tracking();
        int backendPort = ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
        ProxyConfig config = ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .clientIdleTimeout(clientIdleTimeout)
                .route(r -> r.upstream("http://127.0.0.1:" + backendPort))
                .build();
        proxy = JettyServerFactory.create(config, new LoopBufferPool(buffers));
        proxy.server().start();
    }

    private static void writeHuge(Response response, int left, Callback callback) {
        if (left == 0) {
            response.write(true, null, callback);
            return;
        }
        response.write(false, java.nio.ByteBuffer.wrap(new byte[64 * 1024]),
                Callback.from(() -> writeHuge(response, left - 1, callback), callback::failed));
    }

    @AfterEach
    void stop() throws Exception {
        LeanHttp11Server.enabled = !"false".equalsIgnoreCase(System.getProperty("proxy4j.leanHttp11Server", "true"));
        if (proxy != null) {
            proxy.server().stop();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!buffers.getLeaks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(buffers.getLeaks()).as(buffers.dumpLeaks()).isEmpty();
        }
        backend.stop();
    }

    @Test
    void plainGetsAndHeadsAreServedByTheLeanConnectionOnOneKeptConnection() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /one?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\n");
            Reply first = raw.read(false);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("hello /one");
            assertThat(connectionTypes()).containsExactly(LeanHttp11Server.class);

            raw.send("HEAD /two HTTP/1.1\r\nHost: a\r\n\r\n");
            Reply head = raw.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf("hello /two".length()));
            assertThat(head.body()).isEmpty();

            raw.send("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n");
            Reply chunked = raw.read(false);
            assertThat(chunked.body()).isEqualTo("part one, part two");

            raw.send("GET /three HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /three");
            assertThat(connectionTypes()).containsExactly(LeanHttp11Server.class);
        }
        assertThat(seen).containsExactly("GET /one", "HEAD /two", "GET /chunked", "GET /three");
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /p1 HTTP/1.1\r\nHost: a\r\n\r\nGET /p2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /p3 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /p1");
            assertThat(raw.read(false).body()).isEqualTo("hello /p2");
            assertThat(raw.read(false).body()).isEqualTo("hello /p3");
        }
    }

    @Test
    void aRequestWithABodyGoesToJettyWithAllItsBytesAndTheConnectionGoesOn() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /before HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /before");
            // A body, then a plain GET pipelined behind it: both reach Jetty's connection whole.
            raw.send("POST /post HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nworld"
                    + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /post");
            assertThat(raw.read(false).body()).isEqualTo("hello /after");
            assertThat(connectionTypes()).doesNotContain(LeanHttp11Server.class).hasSize(1);
        }
        assertThat(seen).containsExactly("GET /before", "POST /post world", "GET /after");
    }

    @Test
    void whatItDoesNotServeIsJettysToServe() throws Exception {
        // HTTP/1.0, a GET with a body, Expect, an absolute-form target: each answered as Jetty answers it.
        String[] requests = {
            "GET /ten HTTP/1.0\r\nHost: a\r\n\r\n",
            "GET /body HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
            "GET /expect HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
            "GET http://a/form HTTP/1.1\r\nHost: a\r\n\r\n",
        };
        for (String request : requests) {
            try (Raw raw = new Raw(port())) {
                raw.send(request);
                Reply reply = raw.read(false);
                assertThat(reply.status()).as(request).isIn(200, 417);
            }
        }
        assertThat(seen).contains("GET /ten", "GET /body abc", "GET /expect", "GET /form");
    }

    @Test
    void aMalformedHeadGetsJettysAnswerAndNeverReachesTheBackend() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /bad HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
            Reply reply = raw.read(false);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body()).startsWith("400 Bad Request");
        }
        try (Raw raw = new Raw(port())) {
            raw.send("GET /nohost HTTP/1.1\r\n\r\n");
            assertThat(raw.read(false).status()).isEqualTo(400);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void aHeadInTwoWritesIsServed() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /split HTTP/1.1\r\nHo");
            Thread.sleep(50);
            raw.send("st: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /split");
        }
    }

    @Test
    void connectionCloseEndsTheConnectionAfterTheResponse() throws Exception {
        try (Raw raw = new Raw(port())) {
            raw.send("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            Reply reply = raw.read(false);
            assertThat(reply.body()).isEqualTo("hello /last");
            assertThat(reply.header("connection")).isEqualToIgnoringCase("close");
            assertThat(raw.atEnd()).isTrue();
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAtTheIdleTimeout() throws Exception {
        proxy.server().stop();
        startProxy(Duration.ofMillis(500));
        try (Raw raw = new Raw(port())) {
            raw.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n");
            // Not reading: the proxy's write waits for the socket, then the idle timeout fails it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connectionTypes().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(connectionTypes()).as("the proxy's connections to the client").hasSize(1);
            while (!connectionTypes().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(connectionTypes()).as("the proxy's connections to the client, later").isEmpty();
            long read = raw.drain();
            assertThat(read).as("bytes the client got before the end").isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void turnedOffEveryConnectionIsJettys() throws Exception {
        LeanHttp11Server.enabled = false;
        try (Raw raw = new Raw(port())) {
            raw.send("GET /off HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(false).body()).isEqualTo("hello /off");
            assertThat(connectionTypes()).doesNotContain(LeanHttp11Server.class).hasSize(1);
        }
    }

    private int port() {
        return ((ServerConnector) proxy.server().getConnectors()[0]).getLocalPort();
    }

    /** The classes of the connections the proxy's listener has open now. */
    private List<Class<?>> connectionTypes() {
        List<Class<?>> types = new ArrayList<>();
        for (EndPoint endPoint : ((ServerConnector) proxy.server().getConnectors()[0]).getConnectedEndPoints()) {
            Connection connection = endPoint.getConnection();
            types.add(connection instanceof LeanHttp11Server ? LeanHttp11Server.class : connection.getClass());
        }
        return types;
    }

    record Reply(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /** A client socket reading responses one at a time: by Content-Length, chunks, or to the end. */
    private static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Raw(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        Reply read(boolean head) throws IOException {
            String statusAndHead = line();
            StringBuilder fields = new StringBuilder();
            for (String line = line(); !line.isEmpty(); line = line()) {
                fields.append(line).append("\r\n");
            }
            int status = Integer.parseInt(statusAndHead.split(" ")[1]);
            Reply shape = new Reply(status, fields.toString(), "");
            if (status == 100) {
                return read(head);
            }
            if (head || status == 204 || status == 304) {
                return shape;
            }
            String length = shape.header("content-length");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (!length.isEmpty()) {
                body.write(in.readNBytes(Integer.parseInt(length)));
            } else if (shape.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            } else {
                body.write(in.readAllBytes());
            }
            return new Reply(status, shape.head(), body.toString(StandardCharsets.ISO_8859_1));
        }

        /** Reads to the end of the stream (or a reset), and says how many bytes came. */
        long drain() {
            long total = 0;
            byte[] sink = new byte[64 * 1024];
            try {
                for (int n = in.read(sink); n >= 0; n = in.read(sink)) {
                    total += n;
                }
            } catch (IOException reset) {
                // A reset ends it as well.
            }
            return total;
        }

        boolean atEnd() throws IOException {
            return in.read() < 0;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection ended within a line: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
