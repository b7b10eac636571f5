package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.server.ProxyServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server-sent events through the proxy: each event reaches the client as the backend sends it, not
 * when the stream ends; the backend sends the next one only once the client has the last (so a
 * proxy that buffered would deadlock here, and the test would time out).
 */
@Timeout(30)
class EventStreamEndToEndTest {

    private static Server backend;
    private static ProxyServer proxy;
    /** Counted down by the test as it reads each event; the backend waits for it before the next. */
    private static volatile CountDownLatch clientGotOne;

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/event-stream");
                String path = request.getHttpURI().getPath();
                if (path.startsWith("/ticks")) {
                    tick(request, response, callback, 1);
                } else if (path.startsWith("/silent")) {
                    // One event, then silence: the response never ends by itself.
                    response.write(false, StandardCharsets.UTF_8.encode("data: only\n\n"), Callback.NOOP);
                } else {
                    send(request, response, callback, 1);
                }
                return true;
            }
        });
        backend.start();
        proxy = ProxyServer.builder().listen(0).accessLog(false)
                .route(r -> r.pathPrefix("/silent").idleTimeout(Duration.ofSeconds(1))
                        .upstream("http://127.0.0.1:" + connector.getLocalPort()))
                .route(r -> r.pathPrefix("/").idleTimeout(Duration.ofSeconds(5))
                        .upstream("http://127.0.0.1:" + connector.getLocalPort()))
                .build().start();
    }

    /** Event {@code n} now; the next one once the client has read this one, on the backend's scheduler. */
    private static void send(Request request, Response response, Callback callback, int n) {
        CountDownLatch read = new CountDownLatch(1);
        clientGotOne = read;
        boolean last = n == 3;
        response.write(last, StandardCharsets.UTF_8.encode("data: event " + n + "\n\n"), Callback.from(() -> {
            if (last) {
                callback.succeeded();
                return;
            }
            request.getComponents().getThreadPool().execute(() -> {
                try {
                    if (read.await(10, TimeUnit.SECONDS)) {
                        send(request, response, callback, n + 1);
                    } else {
                        callback.failed(new IllegalStateException("the client never got event " + n));
                    }
                } catch (InterruptedException e) {
                    callback.failed(e);
                }
            });
        }, callback::failed));
    }

    /** One event every {@link #TICK}, {@link #TICKS} of them: longer in all than the route's idle timeout. */
    private static void tick(Request request, Response response, Callback callback, int n) {
        boolean last = n == TICKS;
        response.write(last, StandardCharsets.UTF_8.encode("data: tick " + n + "\n\n"), Callback.from(() -> {
            if (last) {
                callback.succeeded();
            } else {
                request.getComponents().getScheduler().schedule(() -> tick(request, response, callback, n + 1),
                        TICK.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, callback::failed));
    }

    private static final Duration TICK = Duration.ofMillis(250);
    private static final int TICKS = 28;

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void eachEventArrivesAsItIsSent() throws Exception {
        HttpResponse<InputStream> response = TestClient.sendStreaming(
                HttpRequest.newBuilder(URI.create(proxy.uri() + "/events")).build());
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");

        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int n = 1; n <= 3; n++) {
                assertThat(events.readLine()).isEqualTo("data: event " + n);
                assertThat(events.readLine()).isEmpty();
                clientGotOne.countDown();
            }
            assertThat(events.readLine()).isNull();
        }
    }

    /** The route's idle timeout (5 s) is the silence allowed between events, not a bound on the stream (7 s here). */
    @Test
    void aStreamWithAnEventPerIntervalOutlivesTheRoutesIdleTimeout() throws Exception {
        HttpResponse<InputStream> response = ownClient(URI.create(proxy.uri() + "/ticks"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int n = 1; n <= TICKS; n++) {
                assertThat(events.readLine()).isEqualTo("data: tick " + n);
                assertThat(events.readLine()).isEmpty();
            }
            assertThat(events.readLine()).isNull();
        }
    }

    /** Silence longer than the route's idle timeout (1 s) cuts the response off: the client's read ends. */
    @Test
    void aStreamSilentForLongerThanTheRoutesIdleTimeoutIsCutOff() throws Exception {
        HttpResponse<InputStream> response = ownClient(URI.create(proxy.uri() + "/silent"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo("data: only");
            assertThat(events.readLine()).isEmpty();
            // The response was never ended by the backend: a cut is an incomplete chunked body.
            assertThatThrownBy(events::readLine).isInstanceOf(java.io.IOException.class);
        }
    }

    private static HttpResponse<InputStream> ownClient(URI uri) throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
    }
}
