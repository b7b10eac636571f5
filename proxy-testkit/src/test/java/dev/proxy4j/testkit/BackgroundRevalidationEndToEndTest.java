package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.upstream.EndpointStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * stale-while-revalidate's background revalidation is the proxy's own exchange with the backend,
 * detached from the client's: the client gets its stale answer and its connection back at once. A
 * backend holds the revalidation until the test lets it go; meanwhile the client's next request on
 * the same HTTP/1.1 connection (a raw socket, so no pool can hide a busy connection behind a new
 * one), and on the same HTTP/2 connection, is answered.
 */
class BackgroundRevalidationEndToEndTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Stale requests sent at most until one's background revalidation reaches the backend. */
    private static final int ATTEMPTS = 10;

    private static HttpServer backend;
    private static ExecutorService backendThreads;
    /** Revalidations (requests with If-None-Match) the backend has received, and those it has answered. */
    private static final AtomicInteger revalidations = new AtomicInteger();
    private static final AtomicInteger answered = new AtomicInteger();
    /** Each revalidation the backend received: when, the proxy's X-Request-Id, the path; told when a count is off. */
    private static final java.util.Queue<String> revalidationLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final long STARTED = System.nanoTime();
    private static volatile CountDownLatch release = new CountDownLatch(1);
    private static ProxyExtension proxy;

    @BeforeAll
    static void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backendThreads = Executors.newCachedThreadPool();
        backend.setExecutor(backendThreads);
        backend.createContext("/", BackgroundRevalidationEndToEndTest::answer);
        backend.start();
        URI uri = URI.create("http://127.0.0.1:" + backend.getAddress().getPort());
        proxy = ProxyExtension.of(b -> b.cache(HttpCache.inMemory(1 << 20))
                .route(r -> r.pathPrefix("/").upstream(uri))).start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        proxy.stop();
        backend.stop(0);
        backendThreads.shutdownNow();
    }

    /** {@code /swr-*}: stale at once, revalidated in the background (held until released); anything else: at once. */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith("/swr")) {
                send(exchange, 200, "other " + path, "max-age=300", null);
                return;
            }
            if (exchange.getRequestHeaders().getFirst("If-None-Match") == null) {
                send(exchange, 200, "v1", "max-age=0, stale-while-revalidate=300", "\"1\"");
                return;
            }
            revalidationLog.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - STARTED) + " ms "
                    + exchange.getRequestHeaders().getFirst("X-Request-Id") + " " + path);
            revalidations.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("ETag", "\"1\"");
            exchange.getResponseHeaders().set("Cache-Control", "max-age=300");
            exchange.sendResponseHeaders(304, -1);
            answered.incrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, String body, String cacheControl, String etag)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void theNextRequestOnTheSameHttp11ConnectionIsAnsweredWhileTheRevalidationIsHeld() throws Exception {
        reset();
        proxy.client().get("/swr-h1");
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            Raw stale = null;
            for (int attempt = 0; attempt < ATTEMPTS && revalidations.get() == 0; attempt++) {
                out.write(request("/swr-h1"));
                stale = Raw.read(in);
                assertThat(stale.header("cache-status")).contains("detail=stale-while-revalidate");
                awaitRevalidation();
            }
            awaitRevalidations(1);
            out.write(request("/next-h1"));
            Raw next = Raw.read(in);

            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo("v1");
            assertThat(stale.header("cache-status")).contains("detail=stale-while-revalidate");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("other /next-h1");
            assertThat(answered.get()).as("the revalidation is still held by the backend").isZero();
        }
        finishRevalidation("/swr-h1");
    }

    @Test
    void theNextRequestOnTheSameHttp2ConnectionIsAnsweredWhileTheRevalidationIsHeld() throws Exception {
        reset();
        ProxyClient client = proxy.http2Client();
        client.get("/swr-h2");

        ProxyClient.Response stale = null;
        for (int attempt = 0; attempt < ATTEMPTS && revalidations.get() == 0; attempt++) {
            stale = client.get("/swr-h2");
            assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
            awaitRevalidation();
        }
        awaitRevalidations(1);
        ProxyClient.Response next = client.get("/next-h2");

        assertThat(stale.body()).isEqualTo("v1");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
        assertThat(next.body()).isEqualTo("other /next-h2");
        assertThat(answered.get()).as("the revalidation is still held by the backend").isZero();
        finishRevalidation("/swr-h2");
    }

    private static void reset() {
        release = new CountDownLatch(1);
        revalidations.set(0);
        revalidationLog.clear();
        answered.set(0);
    }

    /**
     * Waits a little for the stale answer's background revalidation to reach the backend. It may
     * not come: the fill that stored the entry holds the key's one-fetch-at-a-time slot until its
     * store completes, a moment after its client has the whole response, and a stale hit within
     * that moment leaves the revalidation to the fill (the entry is brand new). The caller then asks
     * once more.
     */
    private static void awaitRevalidation() throws InterruptedException {
        long start = System.nanoTime();
        while (revalidations.get() == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
            Thread.sleep(10);
        }
    }

    private static void awaitRevalidations(int count) throws InterruptedException {
        long start = System.nanoTime();
        while (revalidations.get() < count && System.nanoTime() - start < DEADLINE_NANOS) {
            Thread.sleep(10);
        }
        assertThat(revalidations.get()).as("revalidations the backend received: " + revalidationLog).isEqualTo(count);
    }

    /** Lets the backend answer 304; the stored response is then fresh, and the endpoint has nothing in flight. */
    private static void finishRevalidation(String path) throws InterruptedException {
        release.countDown();
        long start = System.nanoTime();
        String status = "";
        while (System.nanoTime() - start < DEADLINE_NANOS) {
            status = String.valueOf(proxy.client().get(path).header("Cache-Status"));
            if (status.startsWith("proxy4j; hit; ttl=") && !status.contains("stale")) {
                break;
            }
            Thread.sleep(10);
        }
        assertThat(status).startsWith("proxy4j; hit; ttl=").doesNotContain("stale");
        long inFlight = -1;
        while (System.nanoTime() - start < DEADLINE_NANOS) {
            inFlight = proxy.server().upstreams().get(0).endpointStatuses().stream()
                    .mapToLong(EndpointStatus::inFlight).sum();
            if (inFlight == 0) {
                break;
            }
            Thread.sleep(10);
        }
        assertThat(inFlight).as("the detached request's selection is completed").isZero();
        assertThat(revalidations.get()).as("one background revalidation: " + revalidationLog).isEqualTo(1);
    }

    private static byte[] request(String path) {
        // the Host the fill had (the cache key has host and port)
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One HTTP/1.1 response read off a kept-alive connection: Content-Length or chunked. */
    private record Raw(int status, java.util.Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name);
        }

        static Raw read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            }
            return new Raw(status, headers, body.toString(StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed after \"" + line + "\"");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
