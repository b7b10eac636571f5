package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.ProxyResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/1.1 response that goes out before the client's request body has been read to its end
 * (the backend answered early) says {@code Connection: close}: the proxy cannot keep that
 * connection, and a client told nothing would send its next request into the close. A response
 * after the whole body keeps the connection.
 */
class EarlyAnswerTest {

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

    private void start(Handler handler) throws Exception {
        backend = TestBackend.start(handler);
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build().start();
    }

    @Test
    void anAnswerBeforeTheBodyEndsSaysConnectionCloseAndTheConnectionCloses() throws Exception {
        // Answers at once, reading nothing of the body.
        start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(503);
                TestBackend.Content.write(response, "busy\n", callback);
                return true;
            }
        });

        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("POST /order HTTP/1.1\r\nHost: shop\r\nContent-Length: 10\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            String response = RawHttp.readResponseHead(in);

            assertThat(response).startsWith("HTTP/1.1 503").contains("busy");
            assertThat(response.toLowerCase()).contains("connection: close");
            // The rest of the body comes; the proxy closes the connection rather than read it as a request.
            out.write("0123456789".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readToEnd(in)).as("what followed the response").isEmpty();
        }
    }

    @Test
    void anAnswerAfterTheWholeBodyKeepsTheConnection() throws Exception {
        // Reads the whole body, then answers with its length.
        start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request);
                TestBackend.Content.write(response, "got " + body.length() + "\n", callback);
                return true;
            }
        });

        postsThreeTimesOnOneConnection("got 10");
    }

    @Test
    void anAnswerAfterEveryAnnouncedByteButBeforeTheBodysEndKeepsTheConnection() throws Exception {
        // A filter takes the body's bytes, the Content-Length of them, and answers without reading
        // on to the body's end: the bytes are all there, nothing of the body is left on the wire.
        ProxyFilter takeTheBytesThenAnswer = (ctx, request, next) -> {
            CompletableFuture<ProxyResponse> answer = new CompletableFuture<>();
            Body body = request.body();
            new Runnable() {
                private long taken;

                @Override
                public void run() {
                    for (Chunk chunk; (chunk = body.read()) != null; ) {
                        taken += chunk.data().remaining();
                        chunk.release();
                        if (taken == body.length()) {
                            answer.complete(ProxyResponse.text(200, "took " + taken + "\n"));
                            return;
                        }
                    }
                    body.demand(this);
                }
            }.run();
            return answer;
        };
        backend = TestBackend.answering("unused");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false).filter(takeTheBytesThenAnswer)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build().start();

        postsThreeTimesOnOneConnection("took 10");
    }

    /** Three 10-byte POSTs on one connection, each answered with {@code answer} and none saying Connection: close. */
    private void postsThreeTimesOnOneConnection(String answer) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("POST /order HTTP/1.1\r\nHost: shop\r\nContent-Length: 10\r\n\r\n0123456789")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();

                String response = RawHttp.readResponseHead(in);

                assertThat(response).as("response " + i).startsWith("HTTP/1.1 200").contains(answer);
                assertThat(response.toLowerCase()).as("response " + i).doesNotContain("connection: close");
            }
        }
    }

    /** Everything until the peer closes; fails the test on a connection still open after the timeout. */
    private static String readToEnd(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection was still open 5 s after the response; read: " + text);
        } catch (java.net.SocketException reset) {
            // A reset is a close too.
        }
        return text.toString();
    }
}
