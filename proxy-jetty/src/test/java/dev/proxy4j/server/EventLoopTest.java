package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event-loop data path: a request, its backend exchange and its response on one thread; the
 * client's connection resumed on that thread after each response; connection limits held over all
 * loops together.
 */
class EventLoopTest {

    private TestBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aRequestAndItsResponseStageRunOnTheThreadThatReadTheRequest() throws Exception {
        backend = TestBackend.answering("ok");
        List<String[]> threads = new CopyOnWriteArrayList<>();
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .filter((ctx, request, next) -> {
                    String requestThread = Thread.currentThread().getName();
                    return next.proceed(request).thenApply(response -> {
                        threads.add(new String[] {requestThread, Thread.currentThread().getName()});
                        return response;
                    });
                })
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            for (int i = 0; i < 20; i++) {
                ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/r" + i)
                        .timeout(10, TimeUnit.SECONDS).send();
                assertThat(response.getStatus()).isEqualTo(200);
            }
        } finally {
            client.stop();
        }

        assertThat(threads).hasSize(20);
        for (String[] pair : threads) {
            // The backend's response was read by the loop that read the client's request: no hand-off.
            assertThat(pair[1]).as("response stage thread").isEqualTo(pair[0]);
        }
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        backend = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TestBackend.Content.write(response, "path=" + request.getHttpURI().getPath(), callback);
                return true;
            }
        });
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();

        String requests = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String responses;
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            responses = readToEnd(socket.getInputStream());
        }

        assertThat(responses.split("HTTP/1.1 200 ", -1)).hasSize(4);
        int a = responses.indexOf("path=/a");
        int b = responses.indexOf("path=/b");
        int c = responses.indexOf("path=/c");
        assertThat(a).isNotNegative();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
    }

    @Test
    void theConnectionLimitHoldsOverAllLoopsTogether() throws Exception {
        Set<Integer> backendConnections = ConcurrentHashMap.newKeySet();
        backend = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                backendConnections.add(Request.getRemotePort(request));
                // Answer late, so that the requests overlap and would open more connections if allowed.
                request.getComponents().getScheduler().schedule(
                        () -> TestBackend.Content.write(response, "ok", callback), 200, TimeUnit.MILLISECONDS);
                return true;
            }
        });
        Upstream one = Upstream.builder().endpoint(backend.uri()).maxConnectionsPerEndpoint(1).build();
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(one))
                .build()
                .start();
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            // Six client connections at once, spread over the proxy's loops.
            List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(new CompletableResponseListener(
                        client.newRequest("127.0.0.1", proxy.port()).path("/c" + i).timeout(20, TimeUnit.SECONDS))
                        .send());
            }
            for (CompletableFuture<ContentResponse> response : responses) {
                assertThat(response.get(20, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        } finally {
            client.stop();
        }

        assertThat(backendConnections).as("connections the backend saw").hasSize(1);
    }

    private static String readToEnd(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
