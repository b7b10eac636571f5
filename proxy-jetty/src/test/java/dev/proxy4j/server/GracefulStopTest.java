package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** stop() lets requests in flight finish, and stops accepting new connections. */
class GracefulStopTest {

    @Test
    void finishesARequestInFlightThenStopsAccepting() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestBackend backend = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                arrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                TestBackend.Content.write(response, "finished", callback);
                return true;
            }
        })) {
            ProxyServer proxy = ProxyServer.builder()
                    .listen("127.0.0.1", 0)
                    .drainTimeout(Duration.ofSeconds(10))
                    .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                    .build()
                    .start();
            int port = proxy.port();
            HttpClient client = Clients.HTTP_1_1.start();
            try {
                CompletableFuture<ContentResponse> inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.newRequest("127.0.0.1", port).path("/slow").timeout(20, TimeUnit.SECONDS).send();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(proxy::stop);
                assertThat(refusesConnections(port)).as("stops accepting while draining").isTrue();
                assertThat(inFlight).isNotDone();
                release.countDown();
                ContentResponse response = inFlight.get(20, TimeUnit.SECONDS);
                stopping.get(20, TimeUnit.SECONDS);

                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).isEqualTo("finished");
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            } finally {
                client.stop();
            }
        }
    }

    /**
     * A proxy stopped as soon as it started (before its loop has registered the listening socket)
     * closes that socket all the same, and logs no failure for it.
     */
    @Test
    void stopRightAfterStartClosesTheListeningSocketQuietly() throws Exception {
        try (TestBackend backend = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TestBackend.Content.write(response, "ok", callback);
                return true;
            }
        }); CapturedErr err = new CapturedErr()) {
            for (int i = 0; i < 20; i++) {
                ProxyServer proxy = ProxyServer.builder()
                        .listen("127.0.0.1", 0)
                        .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                        .build()
                        .start();
                int port = proxy.port();
                proxy.stop();
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("port %d after stop", port)
                        .isInstanceOf(ConnectException.class);
            }
            assertThat(err.text()).doesNotContain("Unable to register OP_ACCEPT").doesNotContain("ClosedChannelException");
        }
    }

    private static boolean refusesConnections(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                Thread.sleep(25);
            } catch (java.io.IOException e) {
                return true;
            }
        }
        return false;
    }
}
