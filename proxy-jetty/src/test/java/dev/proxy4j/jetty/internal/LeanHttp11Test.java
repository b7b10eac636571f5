package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The lean HTTP/1.1 client ({@link LeanHttp11}), on by default and switched on here whatever the JVM says:
 * bodiless requests through a real proxy to real backends, and what it must keep of the default
 * client's behaviour (keep-alive, HEAD, chunked bodies, malformed responses, timeouts).
 */
class LeanHttp11Test {

    private static final String BIG = "0123456789abcdef".repeat(16 * 1024); // 256 KiB, chunked
    private static final String WIDE = "0123456789abcdef".repeat(3 * 1024); // 48 KiB, with its length
    private final AtomicInteger connections = new AtomicInteger();
    /** The backend's connections open now. */
    private final AtomicInteger openNow = new AtomicInteger();
    /** Requests the backend holds at once (each on a connection of its own), and the most seen. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private Server backend;
    private int backendPort;
    private @Nullable ProxyServer proxy;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        LeanHttp11.enabled = true;
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        connector.addEventListener(new org.eclipse.jetty.io.Connection.Listener() {
            @Override
            public void onOpened(org.eclipse.jetty.io.Connection connection) {
                connections.incrementAndGet();
                openNow.incrementAndGet();
            }

            @Override
            public void onClosed(org.eclipse.jetty.io.Connection connection) {
                openNow.decrementAndGet();
            }
        });
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (path.equals("/slow")) {
                    return true; // never answered
                }
                if (path.equals("/late")) {
                    // Answer late, so that requests overlap and would open more connections if allowed.
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    request.getComponents().getScheduler().schedule(() -> {
                        inFlight.decrementAndGet();
                        TestBodies.write(response, "late", callback);
                    }, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return true;
                }
                if (path.equals("/closing")) {
                    response.getHeaders().put("Connection", "close");
                }
                response.getHeaders().put("X-Seen-Host", String.valueOf(request.getHeaders().get("Host")));
                response.getHeaders().put("X-Seen-Query", String.valueOf(request.getHttpURI().getQuery()));
                String body = path.equals("/big") ? BIG : path.equals("/wide") ? WIDE : "hello " + path;
                if (path.equals("/big")) {
                    // No Content-Length: Jetty's server sends it chunked.
                    response.write(false, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)),
                            Callback.from(() -> response.write(true, null, callback), callback::failed));
                } else {
                    TestBodies.write(response, body, callback);
                }
                return true;
            }
        });
        backend.start();
        backendPort = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        LeanHttp11.enabled = !"false".equalsIgnoreCase(System.getProperty("proxy4j.leanHttp11", "true"));
        if (proxy != null) {
            proxy.stop();
        }
        backend.stop();
    }

    private ProxyServer proxyTo(String upstream, Duration responseHeaders) throws Exception {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.responseHeadersTimeout(responseHeaders).upstream(upstream))
                .build().start();
        return proxy;
    }

    /** A proxy to the backend whose pool keeps a connection idle for {@code pool}, and whose route's exchanges may go quiet for {@code route}. */
    private void proxyWithIdleTimeouts(Duration pool, Duration route) throws Exception {
        dev.proxy4j.upstream.Upstream upstream = dev.proxy4j.upstream.Upstream.builder().name("lean")
                .endpoint("http://127.0.0.1:" + backendPort).idleTimeout(pool).build();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.idleTimeout(route).upstream(upstream))
                .build().start();
    }

    private HttpResponse<String> get(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void carriesGetsOnKeptAliveConnections() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofSeconds(10));
        long before = LeanHttp11.SENT.sum();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get("GET", "/a" + i + "?q=" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello /a" + i);
            assertThat(response.headers().firstValue("X-Seen-Query")).hasValue("q=" + i);
            // The client's Host goes on (the route's default, as on Jetty's client).
            assertThat(response.headers().firstValue("X-Seen-Host")).hasValue("127.0.0.1:" + proxy.port());
        }
        assertThat(LeanHttp11.SENT.sum() - before).isEqualTo(20);
        // One client connection at a time, so one backend connection carried them all.
        assertThat(connections).hasValue(1);
    }

    @Test
    void headGetsTheHeadAndNoBody() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofSeconds(10));
        HttpResponse<String> head = get("HEAD", "/h");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf("hello /h".length()));
        // The connection is still good for the next request.
        assertThat(get("GET", "/after").body()).isEqualTo("hello /after");
        assertThat(connections).hasValue(1);
    }

    /**
     * An HTTP/2 client that stops reading and drops its connection fails the proxy's pending writes
     * on a thread of Jetty's, not the loop: the rest of each response, already received, is read
     * there to its end, and its connection goes back to the pool from there. The pool is the loop's
     * alone (an idle list touched from two threads at once lost its entries: later requests failed
     * with 500), so it is given back on the loop; afterwards every request is answered and the pool
     * counts just the connections the backend has open.
     */
    @Test
    void exchangesEndedOffTheLoopByHttp2ResetsLeaveThePoolWhole() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofSeconds(10));
        org.eclipse.jetty.http2.client.HTTP2Client h2 = new org.eclipse.jetty.http2.client.HTTP2Client();
        // A small window: the proxy's writes stall after the first response or so, with the rest pending.
        h2.setInitialSessionRecvWindow(65535);
        h2.setInitialStreamRecvWindow(65535);
        h2.start();
        // HTTP/1.1 requests meanwhile, so that the loops use the pools while the resets end exchanges.
        java.util.concurrent.atomic.AtomicBoolean resetting = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger answeredMeanwhile = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> meanwhile = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                while (resetting.get()) {
                    try {
                        if (get("GET", "/m").statusCode() == 200) {
                            answeredMeanwhile.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            thread.start();
            meanwhile.add(thread);
        }
        try {
            for (int round = 0; round < 16; round++) {
                org.eclipse.jetty.http2.api.Session session = h2.connect(
                        new java.net.InetSocketAddress("127.0.0.1", proxy.port()),
                        new org.eclipse.jetty.http2.api.Session.Listener() { })
                        .get(5, java.util.concurrent.TimeUnit.SECONDS);
                java.util.concurrent.CountDownLatch heads = new java.util.concurrent.CountDownLatch(16);
                for (int i = 0; i < 16; i++) {
                    org.eclipse.jetty.http.MetaData.Request request = new org.eclipse.jetty.http.MetaData.Request("GET",
                            org.eclipse.jetty.http.HttpURI.from("http://127.0.0.1:" + proxy.port() + "/wide"),
                            org.eclipse.jetty.http.HttpVersion.HTTP_2, org.eclipse.jetty.http.HttpFields.EMPTY);
                    session.newStream(new org.eclipse.jetty.http2.frames.HeadersFrame(request, null, true),
                            new org.eclipse.jetty.http2.api.Stream.Listener() {
                                @Override
                                public void onHeaders(org.eclipse.jetty.http2.api.Stream stream,
                                        org.eclipse.jetty.http2.frames.HeadersFrame frame) {
                                    heads.countDown(); // and never reads the body
                                }
                            });
                }
                assertThat(heads.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                // Dropped, no GOAWAY: the proxy fails the writes it holds.
                ((org.eclipse.jetty.http2.HTTP2Session) session).getEndPoint().close();
            }
        } finally {
            resetting.set(false);
            for (Thread thread : meanwhile) {
                thread.join(10_000);
            }
            h2.stop();
        }
        assertThat(answeredMeanwhile).hasPositiveValue();
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/n" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> response = answers.get(i).get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello /n" + i);
        }
        // Quiet again: the pools' count (lean and Jetty's) is the backend's.
        dev.proxy4j.admin.ConnectionStats stats = null;
        for (int i = 0; i < 100; i++) {
            stats = proxy.status().upstreams().get(0).connections();
            if (stats.active() == 0 && stats.idle() == openNow.get()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(stats.active()).isZero();
        assertThat(stats.idle()).isEqualTo(openNow.get()).isPositive();
    }

    /**
     * An idle pooled connection times out on Jetty's scheduler after the upstream's idle timeout
     * (a route's idle timeout is for its exchanges only); it is closed from the loop and counted
     * out of the pool there, and the next request opens a new one.
     */
    @Test
    void anIdlePooledConnectionThatTimesOutIsClosedAndCountedOut() throws Exception {
        // The route's exchanges may go quiet far longer than the pool keeps a connection idle.
        proxyWithIdleTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30));
        long before = LeanHttp11.SENT.sum();
        assertThat(get("GET", "/first").body()).isEqualTo("hello /first");
        for (int i = 0; i < 100 && openNow.get() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(openNow).as("the backend saw the idle connection close").hasValue(0);
        dev.proxy4j.admin.ConnectionStats stats = proxy.status().upstreams().get(0).connections();
        for (int i = 0; i < 100 && stats.idle() + stats.active() > 0; i++) {
            Thread.sleep(50);
            stats = proxy.status().upstreams().get(0).connections();
        }
        assertThat(stats.idle() + stats.active()).isZero();
        assertThat(get("GET", "/second").body()).isEqualTo("hello /second");
        assertThat(connections).hasValue(2);
        assertThat(LeanHttp11.SENT.sum() - before).isEqualTo(2);
    }

    /**
     * A route's idle timeout is for its exchange: a connection idle in the pool for longer than it
     * (but not for the upstream's) is used as it is, not timed out as the request goes on it.
     */
    @Test
    void aRouteIdleTimeoutCountsFromTheExchangeNotFromThePool() throws Exception {
        proxyWithIdleTimeouts(Duration.ofSeconds(30), Duration.ofMillis(300));
        assertThat(get("GET", "/first").body()).isEqualTo("hello /first");
        Thread.sleep(700);
        assertThat(get("GET", "/second").body()).isEqualTo("hello /second");
        assertThat(connections).as("the pooled connection carried the second request").hasValue(1);
    }

    @Test
    void streamsAChunkedBodyWhole() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get("GET", "/big");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(BIG);
        }
    }

    @Test
    void noResponseHeadersInTimeIs504() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofMillis(200));
        HttpResponse<String> response = get("GET", "/slow");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(get("GET", "/fine").statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedResponseIs502AndTheProxyKeepsServing() throws Exception {
        try (ServerSocket bad = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket socket = bad.accept()) {
                        InputStream in = socket.getInputStream();
                        byte[] buffer = new byte[4096];
                        in.read(buffer);
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Header\r\n\r\nhello"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.read(buffer); // until the proxy closes
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            proxyTo("http://127.0.0.1:" + bad.getLocalPort(), Duration.ofSeconds(5));
            HttpResponse<String> response = get("GET", "/x");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain("Exception");
        }
    }

    @Test
    void aConnectionTheBackendClosesIsNotReused() throws Exception {
        proxyTo("http://127.0.0.1:" + backendPort, Duration.ofSeconds(10));
        assertThat(get("GET", "/closing").body()).isEqualTo("hello /closing");
        assertThat(get("GET", "/next").body()).isEqualTo("hello /next");
        assertThat(connections).hasValue(2);
    }

    private ProxyServer proxyWithLimit(int maxConnections) throws Exception {
        dev.proxy4j.upstream.Upstream limited = dev.proxy4j.upstream.Upstream.builder()
                .endpoint("http://127.0.0.1:" + backendPort).maxConnectionsPerEndpoint(maxConnections).build();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.upstream(limited))
                .build().start();
        return proxy;
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aRequestWithABodyGetsTheConnectionTheLeanPoolHoldsIdle() throws Exception {
        // One connection per loop: the lean client's idle one must make way for Jetty's client.
        proxyWithLimit(2);
        long before = LeanHttp11.SENT.sum();
        assertThat(get("GET", "/first").body()).isEqualTo("hello /first");
        assertThat(LeanHttp11.SENT.sum() - before).isEqualTo(1);
        // The same client connection, so the same loop; a body goes by Jetty's client.
        HttpResponse<String> posted = client.send(post("/posted", "some body"), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("hello /posted");
        // The next GET finds Jetty's connection idle and the budget taken: it goes by Jetty's client
        // (or by the lean client, on a client connection of the other loop).
        assertThat(get("GET", "/again").body()).isEqualTo("hello /again");
    }

    @Test
    void mixedTrafficHoldsTheConnectionLimitOfBothClientsTogether() throws Exception {
        proxyWithLimit(2);
        HttpClient many = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 8; i++) {
                HttpRequest request = i % 2 == 0
                        ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/late"))
                                .timeout(Duration.ofSeconds(20)).build()
                        : post("/late", "body " + i);
                responses.add(many.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            for (var response : responses) {
                assertThat(response.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            responses.clear();
        }
        // Counted at the backend by requests held at once: its count of open connections lags the
        // proxy's closes (a connection the proxy closed to open another is seen closing after).
        assertThat(mostInFlight).as("requests the backend held at once, with a limit of 2 connections")
                .hasValueGreaterThan(0).hasValueLessThanOrEqualTo(2);
    }

    /** Writes a text body with its Content-Length. */
    private static final class TestBodies {
        static void write(Response response, String body, Callback callback) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            response.getHeaders().put("Content-Length", bytes.length);
            response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
        }
    }
}
