package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
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
 * A gRPC-shaped exchange over HTTP/2 on both sides: messages stream both ways at once (each is
 * answered before the next is sent, so nothing may wait for a whole body), {@code te: trailers}
 * reaches the backend, and the backend's trailers ({@code grpc-status}) reach the client.
 */
@Timeout(30)
class GrpcEndToEndTest {

    private static Server backend;
    private static ProxyServer proxy;
    private static HttpClient client;
    private static final CompletableFuture<String> backendTe = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new EchoStream());
        backend.start();

        proxy = ProxyServer.builder()
                .listen(0)
                .accessLog(false)
                .route(r -> r.pathPrefix("/down.Service").upstream(u -> u
                        .endpoint("http://127.0.0.1:" + closedPort())
                        .protocol(UpstreamProtocol.HTTP_2)))
                .route(r -> r.pathPrefix("/echo.Echo").upstream(u -> u
                        .endpoint("http://127.0.0.1:" + connector.getLocalPort())
                        .protocol(UpstreamProtocol.HTTP_2)))
                .build()
                .start();
        client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        proxy.stop();
        backend.stop();
    }

    @Test
    void messagesStreamBothWaysAndTheTrailersComeBack() throws Exception {
        AsyncRequestContent upload = new AsyncRequestContent();
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CompletableFuture<Result> done = new CompletableFuture<>();
        CompletableFuture<HttpFields> trailers = new CompletableFuture<>();
        client.newRequest("http://127.0.0.1:" + proxy.port() + "/echo.Echo/Chat")
                .method("POST")
                .headers(h -> h.put("Content-Type", "application/grpc").put("TE", "trailers"))
                .body(upload)
                .onResponseContentSource((response, source) -> readAll(source, replies))
                .onResponseSuccess(response -> trailers.complete(response.getTrailers()))
                .send(done::complete);

        for (String message : new String[] {"one", "two", "three"}) {
            upload.write(false, StandardCharsets.UTF_8.encode(message), Callback.NOOP);
            // The backend answers each message at once: the reply must arrive while the upload is still open.
            assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("echo " + message);
        }
        upload.close();

        Result result = done.get(5, TimeUnit.SECONDS);
        assertThat(result.isSucceeded()).as(String.valueOf(result.getFailure())).isTrue();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(trailers.get(5, TimeUnit.SECONDS).get("grpc-status")).isEqualTo("0");
        assertThat(backendTe.get(5, TimeUnit.SECONDS)).isEqualTo("trailers");
    }

    /** Trailers go both ways: the client's request trailers reach the backend too. */
    @Test
    void theClientsRequestTrailersReachTheBackend() throws Exception {
        ContentResponse response = client.newRequest("http://127.0.0.1:" + proxy.port() + "/echo.Echo/Trailers")
                .method("POST")
                .headers(h -> h.put("Content-Type", "application/grpc").put("TE", "trailers"))
                .body(new BytesRequestContent("message".getBytes(StandardCharsets.UTF_8)))
                .trailersSupplier(() -> HttpFields.build().put("x-client-trailer", "42"))
                .timeout(10, TimeUnit.SECONDS)
                .send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("trailer=42");
    }

    @Test
    void aBackendThatIsDownIsUnavailableInGrpcTerms() throws Exception {
        ContentResponse response = grpcCall("/down.Service/Call", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("grpc-status")).isEqualTo("14");
        assertThat(response.getHeaders().get("grpc-message")).isEqualTo("502 Bad Gateway");
        assertThat(response.getHeaders().get("Content-Type")).isEqualTo("application/grpc");
        assertThat(response.getContent()).isEmpty();
    }

    @Test
    void aMethodNoRouteTakesIsUnimplemented() throws Exception {
        ContentResponse response = grpcCall("/other.Service/Call", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("grpc-status")).isEqualTo("12");
    }

    @Test
    void theClientsGrpcTimeoutIsTheCallsDeadline() throws Exception {
        // Without the deadline the backend's own answer (no grpc-status) would come after 3 s.
        ContentResponse response = grpcCall("/echo.Echo/Slow", "300m");

        assertThat(response.getHeaders().get("grpc-status")).isEqualTo("4");
    }

    @Test
    void aPlainClientStillGetsAPlainError() throws Exception {
        ContentResponse response = client.newRequest("http://127.0.0.1:" + proxy.port() + "/down.Service/Call")
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("grpc-status")).isNull();
    }

    private static ContentResponse grpcCall(String path, String timeout) throws Exception {
        return client.newRequest("http://127.0.0.1:" + proxy.port() + path)
                .method("POST")
                .headers(h -> {
                    h.put("Content-Type", "application/grpc").put("TE", "trailers");
                    if (timeout != null) {
                        h.put("grpc-timeout", timeout);
                    }
                })
                .body(new BytesRequestContent(new byte[] {0, 0, 0, 0, 0}))
                .timeout(10, TimeUnit.SECONDS)
                .send();
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readAll(Content.Source source, LinkedBlockingQueue<String> into) {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(() -> readAll(source, into));
                return;
            }
            if (chunk.hasRemaining()) {
                into.add(StandardCharsets.UTF_8.decode(chunk.getByteBuffer()).toString());
            }
            chunk.release();
            if (chunk.isLast()) {
                return;
            }
        }
    }

    /** Answers each chunk of the request with "echo " + it, then ends with grpc-status 0 in the trailers. */
    private static final class EchoStream extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (request.getHttpURI().getPath().endsWith("/Slow")) {
                // Answers after 3 s, far past the deadlines the tests set.
                request.getComponents().getScheduler().schedule(() -> {
                    response.getHeaders().put("Content-Type", "application/grpc");
                    response.write(true, null, callback);
                }, 3, TimeUnit.SECONDS);
                return true;
            }
            if (request.getHttpURI().getPath().endsWith("/Trailers")) {
                readToTrailers(request, response, callback);
                return true;
            }
            backendTe.complete(String.valueOf(request.getHeaders().get("TE")));
            response.getHeaders().put("Content-Type", "application/grpc");
            response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
            pump(request, response, callback);
            return true;
        }

        /** Reads the whole request and answers with the value of its trailer {@code x-client-trailer}. */
        private static void readToTrailers(Request request, Response response, Callback callback) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(() -> readToTrailers(request, response, callback));
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                String trailer = chunk instanceof org.eclipse.jetty.http.Trailers trailers
                        ? String.valueOf(trailers.getTrailers().get("x-client-trailer")) : "none";
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    response.getHeaders().put("Content-Type", "application/grpc");
                    response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
                    response.write(true, StandardCharsets.UTF_8.encode("trailer=" + trailer), callback);
                    return;
                }
            }
        }

        private void pump(Request request, Response response, Callback callback) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(() -> pump(request, response, callback));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                callback.failed(chunk.getFailure());
                return;
            }
            boolean last = chunk.isLast();
            ByteBuffer reply = chunk.hasRemaining()
                    ? StandardCharsets.UTF_8.encode("echo " + StandardCharsets.UTF_8.decode(chunk.getByteBuffer()))
                    : ByteBuffer.allocate(0);
            chunk.release();
            if (last) {
                response.write(true, reply, callback);
                return;
            }
            response.write(false, reply, Callback.from(() -> pump(request, response, callback), callback::failed));
        }
    }
}
