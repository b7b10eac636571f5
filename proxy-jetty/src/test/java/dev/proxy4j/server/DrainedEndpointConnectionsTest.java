package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An endpoint drained out of its upstream has its idle pooled connections closed, not kept until the idle timeout. */
class DrainedEndpointConnectionsTest {

    private KeepAliveBackend backend;
    private Server h2Backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
        if (h2Backend != null) {
            h2Backend.stop();
        }
    }

    @Test
    void closesTheHttp2ConnectionToADrainedEndpointOnceItsStreamsAreDone() throws Exception {
        h2Backend = new Server();
        ServerConnector connector = new ServerConnector(h2Backend, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        AtomicInteger opened = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        connector.addEventListener(new org.eclipse.jetty.io.Connection.Listener() {
            @Override
            public void onOpened(org.eclipse.jetty.io.Connection connection) {
                opened.incrementAndGet();
            }

            @Override
            public void onClosed(org.eclipse.jetty.io.Connection connection) {
                closed.countDown();
            }
        });
        h2Backend.addConnector(connector);
        h2Backend.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        h2Backend.start();
        String uri = "http://127.0.0.1:" + connector.getLocalPort();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(Upstream.builder().name("api").endpoint(uri)
                        .protocol(UpstreamProtocol.HTTP_2).build()))
                .build().start();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(opened.get()).as("HTTP/2 connections the proxy opened").isEqualTo(1);
        assertThat(closed.getCount()).as("not closed yet").isEqualTo(1);

        proxy.upstream("api").orElseThrow().group().drain(Endpoint.of(uri)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        // The upstream's idle timeout is 60 s: a close within 10 s is the drain's doing.
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("the HTTP/2 connection closed by the proxy").isTrue();
    }

    @Test
    void closesTheIdleConnectionsToADrainedEndpoint() throws Exception {
        backend = new KeepAliveBackend();
        String uri = "http://127.0.0.1:" + backend.port();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(Upstream.builder().name("api").endpoint(uri).build()))
                .build().start();
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(backend.opened.get()).as("connections the proxy opened").isPositive();
        assertThat(backend.closed.getCount()).as("none closed yet").isEqualTo(backend.opened.get());

        proxy.upstream("api").orElseThrow().group().drain(Endpoint.of(uri)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        // The upstream's idle timeout is 60 s: a close within 10 s is the drain's doing.
        assertThat(backend.closed.await(10, TimeUnit.SECONDS)).as("every connection closed by the proxy").isTrue();
        assertThat(proxy.upstream("api").orElseThrow().endpoints()).isEmpty();
        assertThat(proxy.upstream("nope")).isEmpty();
    }

    /** Answers every request on a connection {@code 200 ok}, keeping it open; counts connections opened and closed by the peer. */
    private static final class KeepAliveBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger opened = new AtomicInteger();
        /** Counted down as the peer closes each connection; its count is the connections still open. */
        private volatile CountDownLatch closed = new CountDownLatch(0);
        private final Thread acceptor;

        KeepAliveBackend() throws IOException {
            acceptor = new Thread(this::accept, "keep-alive-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private synchronized void opened() {
            opened.incrementAndGet();
            CountDownLatch previous = closed;
            CountDownLatch next = new CountDownLatch((int) previous.getCount() + 1);
            closed = next;
        }

        private synchronized void closedOne() {
            closed.countDown();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    opened();
                    Thread serve = new Thread(() -> serve(socket), "keep-alive-connection");
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException closing) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                StringBuilder head = new StringBuilder();
                int b;
                while ((b = in.read()) != -1) {
                    head.append((char) b);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        head.setLength(0);
                    }
                }
            } catch (IOException reset) {
                // closed by the peer all the same
            }
            closedOne();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
