package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
                send(request, response, callback, 1);
                return true;
            }
        });
        backend.start();
        proxy = ProxyServer.builder().listen(0).accessLog(false)
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
}
