package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backend that closes kept-alive connections abruptly (as nginx's graceful reload, or a keep-alive
 * timeout racing the next request): it answers the first request on each connection and closes the
 * connection on the next one without answering, with a reset or a plain close. The proxy sends such
 * a request again on a new connection, at once, outside the retry budget (which is none here, so
 * no ordinary retry could be made), without counting it against the endpoint.
 */
class StaleConnectionEndToEndTest {

    /** Started before the proxy's configuration names its port. */
    private static final ClosingBackend backend = ClosingBackend.start();
    private static final ConcurrentLinkedQueue<RequestLog> logs = new ConcurrentLinkedQueue<>();

    @AfterAll
    static void stopBackend() throws IOException {
        backend.close();
    }

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b.accessLog(false).requestLogListener(logs::add)
            .route(r -> r.pathPrefix("/").upstream(Upstream.builder().name("closing")
                    .endpoint("http://127.0.0.1:" + backend.port())
                    .retryPolicy(RetryPolicy.builder().budgetPercent(0).minRetryConcurrency(0).build())
                    .build())));

    @BeforeEach
    void clear() {
        logs.clear();
    }

    @ParameterizedTest(name = "{0} client, backend {1}")
    @CsvSource({"HTTP_1_1, reset", "HTTP_1_1, close", "HTTP_2, reset", "HTTP_2, close"})
    void aGetOnAConnectionTheBackendClosedIsSentAgainOnANewOne(Protocol protocol, String how) throws Exception {
        backend.reset(how.equals("reset"));
        ProxyClient client = protocol.client(proxy);
        int sent = 8;
        for (int i = 0; i < sent; i++) {
            ProxyClient.Response response = client.get("/get/" + i);
            assertThat(response.status()).as("request %s", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("answered");
        }

        assertThat(backend.closed.get()).as("the backend closed kept-alive connections").isPositive();
        assertThat(backend.requests.get()).isEqualTo(sent + backend.closed.get());
        List<RequestLog> done = finished("/get/", sent);
        List<RequestLog> resent = done.stream().filter(log -> log.attempts().size() > 1).toList();
        assertThat(resent).hasSize(backend.closed.get()).allSatisfy(log -> {
            assertThat(log.attempts()).extracting(Attempt::failureKind)
                    .containsExactly(UpstreamFailure.Kind.RESET_BEFORE_HEADERS, null);
            assertThat(log.attempts().get(1).status()).isEqualTo(200);
            assertThat(log.retryBudgetSpent()).isFalse();
        });
        Upstream upstream = proxy.server().upstream("closing").orElseThrow();
        assertThat(upstream.retryBudget().refused()).isZero();
        EndpointStatus status = upstream.endpointStatuses().get(0);
        assertThat(status.consecutiveGatewayFailures()).as("not the endpoint's failure").isZero();
        assertThat(status.consecutive5xx()).isZero();
    }

    @ParameterizedTest(name = "{0} client")
    @CsvSource({"HTTP_1_1", "HTTP_2"})
    void aPostWhoseBodyWentIsNeverSentTwice(Protocol protocol) {
        backend.reset(true);
        ProxyClient client = protocol.client(proxy);
        int posts = 0;
        int failed = 0;
        // A POST lands on a kept-alive connection (reset: 502) or on a new one (answered), as the pool has it.
        for (int i = 0; i < 6 && failed < 2; i++) {
            assertThat(client.get("/first/" + i).status()).isEqualTo(200);
            ProxyClient.Response response = client.post("/post/" + i, "a body the backend may have acted on");
            posts++;
            assertThat(response.status()).isIn(200, 502);
            if (response.status() == 502) {
                failed++;
            }
            assertThat(backend.posts.get()).as("each POST reached the backend once").isEqualTo(posts);
        }
        assertThat(failed).as("some POST went on a connection the backend then closed").isPositive();
    }

    /**
     * The logs of this test's {@code count} requests (their targets start with {@code prefix}): a
     * log ends once the proxy's write of the response completed, which may come after the client
     * read it, so an earlier test's last log can arrive after {@link #clear()}.
     */
    private static List<RequestLog> finished(String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (mine(prefix).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<RequestLog> mine = mine(prefix);
        assertThat(mine).hasSize(count);
        return mine;
    }

    private static List<RequestLog> mine(String prefix) {
        return logs.stream().filter(log -> log.target().startsWith(prefix)).toList();
    }

    /**
     * Answers the first request on each connection ({@code answered}, kept alive) and closes the
     * connection when the next one has been read: with a reset (SO_LINGER 0) or a plain close.
     */
    static final class ClosingBackend implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger posts = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private volatile boolean withReset;

        static ClosingBackend start() {
            try {
                return new ClosingBackend();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        ClosingBackend() throws IOException {
            Thread acceptor = new Thread(this::accept, "closing-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void reset(boolean withReset) {
            this.withReset = withReset;
            requests.set(0);
            closed.set(0);
            posts.set(0);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread t = new Thread(() -> serve(socket), "closing-backend-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int n = 0; ; n++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    skipBody(in, head);
                    requests.incrementAndGet();
                    if (head.startsWith("POST")) {
                        posts.incrementAndGet();
                    }
                    if (n > 0) {
                        closed.incrementAndGet();
                        if (withReset) {
                            socket.setSoLinger(true, 0);
                        }
                        return;
                    }
                    byte[] body = "answered".getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                // The proxy closed the connection: nothing to do.
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return head.toString(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }

        private static void skipBody(InputStream in, String head) throws IOException {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    long length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    in.readNBytes((int) length);
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
