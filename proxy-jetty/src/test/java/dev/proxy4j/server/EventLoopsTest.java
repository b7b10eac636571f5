package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code eventLoops}: how many loops each listener runs. Every request is carried end to end by
 * its connection's loop, so the threads a filter runs on are the loops; new connections are
 * spread over a listener's loops in turn.
 */
class EventLoopsTest {

    /** The threads requests ran on, by the port they came in on. */
    private final Map<Integer, Set<String>> threadsByPort = new ConcurrentHashMap<>();
    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void startBackend() throws Exception {
        backend = TestBackend.answering("ok");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private ProxyServer start(int loops) {
        ProxyFilter recordThread = (ctx, request, next) -> {
            // The clients name the listener's port in the authority.
            int port = Integer.parseInt(request.authority().substring(request.authority().lastIndexOf(':') + 1));
            threadsByPort.computeIfAbsent(port, p -> ConcurrentHashMap.newKeySet())
                    .add(Thread.currentThread().getName());
            return next.proceed(request);
        };
        return ProxyServer.builder().listen("127.0.0.1", 0).listen("127.0.0.1", 0).accessLog(false)
                .eventLoops(loops).filter(recordThread)
                .route(r -> r.upstream(backend.uri()))
                .build().start();
    }

    @Test
    void oneLoopCarriesEveryConnectionOfItsListenerOverHttp11AndHttp2() throws Exception {
        proxy = start(1);
        for (int port : proxy.ports()) {
            for (int i = 0; i < 6; i++) {
                assertThat(getOnNewConnection(port)).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            for (int i = 0; i < 3; i++) {
                assertThat(getOverHttp2(port)).isEqualTo("ok");
            }
        }

        assertThat(threadsByPort).hasSize(2);
        Set<String> first = threadsByPort.get(proxy.ports().get(0));
        Set<String> second = threadsByPort.get(proxy.ports().get(1));
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(first).doesNotContainAnyElementsOf(second);
    }

    @Test
    void newConnectionsAreSpreadOverTheLoopsSet() throws Exception {
        proxy = start(3);
        int port = proxy.port();
        for (int i = 0; i < 6; i++) {
            assertThat(getOnNewConnection(port)).startsWith("HTTP/1.1 200").endsWith("ok");
        }

        assertThat(threadsByPort.get(port)).hasSize(3);
    }

    private static String getOnNewConnection(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String getOverHttp2(int port) throws Exception {
        HttpClient client = Clients.HTTP_2.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", port).path("/").timeout(10, TimeUnit.SECONDS).send();
            assertThat(response.getStatus()).isEqualTo(200);
            return response.getContentAsString();
        } finally {
            client.stop();
        }
    }
}
