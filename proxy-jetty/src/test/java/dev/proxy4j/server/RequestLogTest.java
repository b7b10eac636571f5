package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.AccessLog;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamFailure;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One request log per request, complete when listeners get it: forwarded, retried, failed, refused, unrouted. */
class RequestLogTest {

    private final BlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();
    private final List<RequestLog> taken = new ArrayList<>();
    private TestBackend backend;
    private TestBackend slow;
    private ProxyServer proxy;
    private HttpClient client;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.answering("hello");
        slow = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                request.getComponents().getScheduler().schedule(
                        () -> TestBackend.Content.write(response, "late", callback), 2, TimeUnit.SECONDS);
                return true;
            }
        });
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
        slow.close();
    }

    private String closed() {
        return "http://127.0.0.1:" + closedPort;
    }

    private void startProxy(boolean accessLog) {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0)
                .accessLog(accessLog)
                .requestLogListener(logs::add)
                .route(r -> r.name("retrying").pathPrefix("/retrying")
                        .upstream(Upstream.of(closed(), backend.uri())))
                .route(r -> r.name("down").pathPrefix("/down").upstream(closed()))
                .route(r -> r.name("slow").pathPrefix("/slow").responseHeadersTimeout(Duration.ofMillis(200))
                        .upstream(slow.uri()))
                .route(r -> r.name("api").pathPrefix("/api").upstream(backend.uri()))
                .build().start();
    }

    private ContentResponse get(String path) throws Exception {
        return client.newRequest("127.0.0.1", proxy.port()).path(path).timeout(10, TimeUnit.SECONDS).send();
    }

    /** The log of the request for {@code target}, waiting for it up to 10 s. */
    private RequestLog logOf(String target) throws InterruptedException {
        for (RequestLog log : taken) {
            if (log.target().equals(target)) {
                return log;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            RequestLog log = logs.poll(100, TimeUnit.MILLISECONDS);
            if (log != null) {
                taken.add(log);
                if (log.target().equals(target)) {
                    return log;
                }
            }
        }
        throw new AssertionError("no request log for " + target + " within 10s; got " + taken);
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aForwardedRequestIsLoggedOnceWithItsRouteEndpointStatusesBytesAndTimings(Clients protocol) throws Exception {
        startProxy(false);
        client = protocol.start();

        List<ContentResponse> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(get("/api/items?i=" + i));
        }
        get("/api/last");
        logOf("/api/last");

        for (int i = 0; i < 3; i++) {
            String target = "/api/items?i=" + i;
            assertThat(taken.stream().filter(log -> log.target().equals(target))).as("logs of " + target).hasSize(1);
            RequestLog log = logOf(target);
            assertThat(log.isComplete()).isTrue();
            assertThat(log.method()).isEqualTo("GET");
            assertThat(log.protocol()).isEqualTo(protocol == Clients.HTTP_1_1 ? "HTTP/1.1" : "HTTP/2.0");
            assertThat(log.requestId()).isEqualTo(responses.get(i).getHeaders().get("X-Request-Id"));
            assertThat(log.route()).contains("api");
            assertThat(log.endpoint().orElseThrow().authority()).isEqualTo("127.0.0.1:" + backend.port());
            assertThat(log.status()).isEqualTo(200);
            assertThat(log.upstreamStatus()).isEqualTo(200);
            assertThat(log.responseBodyBytes()).isEqualTo("hello".length());
            assertThat(log.attempts()).hasSize(1);
            assertThat(log.attempts().get(0).failure()).isEmpty();
            assertThat(log.attempts().get(0).durationNanos()).isNotNegative();
            assertThat(log.failure()).isEmpty();
            assertThat(log.firstByteNanos()).isNotNegative();
            assertThat(log.durationNanos()).isGreaterThanOrEqualTo(log.firstByteNanos());
        }
        assertThat(taken).hasSize(4);
    }

    @Test
    void aRequestRetriedOnTheNextEndpointAfterARefusedConnectionHasTwoAttempts() throws Exception {
        startProxy(false);
        client = Clients.HTTP_1_1.start();

        // Round-robin starts the one or the other request on the closed endpoint.
        assertThat(get("/retrying/1").getStatus()).isEqualTo(200);
        assertThat(get("/retrying/2").getStatus()).isEqualTo(200);

        List<RequestLog> retried = new ArrayList<>();
        for (String target : List.of("/retrying/1", "/retrying/2")) {
            RequestLog log = logOf(target);
            assertThat(log.status()).isEqualTo(200);
            assertThat(log.failure()).isEmpty();
            assertThat(log.endpoint().orElseThrow().authority()).isEqualTo("127.0.0.1:" + backend.port());
            if (log.attempts().size() == 2) {
                retried.add(log);
            }
        }
        assertThat(retried).isNotEmpty();
        for (RequestLog log : retried) {
            Attempt refused = log.attempts().get(0);
            assertThat(refused.endpoint().authority()).isEqualTo("127.0.0.1:" + closedPort);
            assertThat(refused.status()).isZero();
            assertThat(refused.failure()).contains(UpstreamFailure.Kind.CONNECT_REFUSED);
            assertThat(refused.durationNanos()).isNotNegative();
            Attempt answered = log.attempts().get(1);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.failure()).isEmpty();
            assertThat(log.upstreamStatus()).isEqualTo(200);
        }
    }

    @Test
    void a502And504AreLoggedWithTheirFailureKind() throws Exception {
        startProxy(false);
        client = Clients.HTTP_1_1.start();

        assertThat(get("/down").getStatus()).isEqualTo(502);
        assertThat(get("/slow").getStatus()).isEqualTo(504);

        RequestLog down = logOf("/down");
        assertThat(down.route()).contains("down");
        assertThat(down.status()).isEqualTo(502);
        assertThat(down.failure()).contains(UpstreamFailure.Kind.CONNECT_REFUSED);
        assertThat(down.upstreamStatus()).isZero();
        // Its only endpoint, tried three times in all (nothing was sent: it may have come back).
        assertThat(down.attempts()).extracting(Attempt::failureKind).containsExactly(UpstreamFailure.Kind.CONNECT_REFUSED,
                UpstreamFailure.Kind.CONNECT_REFUSED, UpstreamFailure.Kind.CONNECT_REFUSED);
        assertThat(down.responseBodyBytes()).isEqualTo("502 Bad Gateway\n".length());
        assertThat(down.durationNanos()).isNotNegative();

        RequestLog timedOut = logOf("/slow");
        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(timedOut.failure()).contains(UpstreamFailure.Kind.RESPONSE_TIMEOUT);
        // A timeout is not waited out twice on the same endpoint: one attempt.
        assertThat(timedOut.attempts()).extracting(Attempt::failureKind)
                .containsExactly(UpstreamFailure.Kind.RESPONSE_TIMEOUT);
        assertThat(timedOut.endpoint().orElseThrow().authority()).isEqualTo("127.0.0.1:" + slow.port());
        assertThat(timedOut.durationNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aRequestRefusedAtTheDoorAndOneNoRouteTakesAreLoggedToo() throws Exception {
        startProxy(false);
        client = Clients.HTTP_1_1.start();

        String refused = RawHttp.exchange(proxy.port(),
                "GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(refused).startsWith("HTTP/1.1 400 ");
        assertThat(get("/nowhere").getStatus()).isEqualTo(404);

        RequestLog notFound = logOf("/nowhere");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.route()).isEmpty();
        assertThat(notFound.attempts()).isEmpty();
        assertThat(notFound.responseBodyBytes()).isEqualTo("404 Not Found\n".length());
        assertThat(notFound.isComplete()).isTrue();

        RequestLog door = logWithStatus(400);
        assertThat(door.route()).isEmpty();
        assertThat(door.attempts()).isEmpty();
        assertThat(door.isComplete()).isTrue();
        assertThat(door.durationNanos()).isNotNegative();
        assertThat(backend.received()).isZero();
    }

    /** Jetty's parser keeps nothing of a request it refuses for its URI: the log says so with dashes, never Jetty's stand-in. */
    @Test
    void aRequestJettyCouldNotParseIsLoggedWithDashesForWhatIsNotKnown() throws Exception {
        startProxy(false);

        RawHttp.exchange(proxy.port(), "GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        RequestLog door = logWithStatus(400);
        assertThat(door.method()).isEqualTo("-");
        assertThat(door.target()).isEqualTo("-");
        assertThat(AccessLog.format(door)).contains("\"- - HTTP/1.1\" 400").doesNotContain("badMessage");
    }

    @Test
    void theAccessLogIsTheFirstListenerByDefaultAndFormatsTheRealLogOnOneLine() throws Exception {
        startProxy(true);
        client = Clients.HTTP_1_1.start();

        ContentResponse response = get("/api/with-access-log");

        assertThat(proxy.config().requestLogListeners()).hasSize(2).first().isSameAs(AccessLog.listener());
        RequestLog log = logOf("/api/with-access-log");
        assertThat(AccessLog.format(log)).matches("127\\.0\\.0\\.1 \"GET /api/with-access-log HTTP/1\\.1\" 200 5 \\d+ms"
                + " upstream=127\\.0\\.0\\.1:" + backend.port() + " upstream_status=200 rid="
                + response.getHeaders().get("X-Request-Id"));
    }

    @Test
    void accessLogFalseLeavesOnlyTheListenersAddedAndTheyStillGetEveryRequest() throws Exception {
        startProxy(false);
        client = Clients.HTTP_1_1.start();

        assertThat(get("/api/without-access-log").getStatus()).isEqualTo(200);

        assertThat(proxy.config().requestLogListeners()).hasSize(1).doesNotContain(AccessLog.listener());
        assertThat(logOf("/api/without-access-log").status()).isEqualTo(200);
    }

    /** The first log with {@code status}, waiting for it up to 10 s. */
    private RequestLog logWithStatus(int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (RequestLog log : taken) {
                if (log.status() == status) {
                    return log;
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("no request log with status " + status + " within 10s; got " + taken);
            }
            RequestLog log = logs.poll(100, TimeUnit.MILLISECONDS);
            if (log != null) {
                taken.add(log);
            }
        }
    }
}
