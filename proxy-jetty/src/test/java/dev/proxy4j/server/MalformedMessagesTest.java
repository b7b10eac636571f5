package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.UpstreamFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whose fault a malformed message is: a backend's gets 502 and is logged as its failure, a client's gets 400 or 413. */
class MalformedMessagesTest {

    private final BlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();
    private ProxyServer proxy;
    private AutoCloseable backend;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private ProxyServer proxyTo(String uri, long maxBody) {
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .maxRequestBodyBytes(maxBody)
                .requestLogListener(logs::add)
                .route(r -> r.pathPrefix("/").upstream(uri))
                .build()
                .start();
        return proxy;
    }

    /** A backend that reads a request head and answers with {@code response}'s bytes, then closes. */
    private static final class RawBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final Thread thread;

        RawBackend(String response) throws IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        InputStream in = socket.getInputStream();
                        int matched = 0;
                        while (matched < 4) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "raw-backend");
            thread.setDaemon(true);
            thread.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private RequestLog takeLog() throws InterruptedException {
        RequestLog log = logs.poll(10, TimeUnit.SECONDS);
        assertThat(log).as("a request log").isNotNull();
        return log;
    }

    @Test
    void aBackendsMalformedChunkSizeBeforeAnyBodyByteIsA502LoggedAsItsFailure() throws Exception {
        RawBackend raw = new RawBackend("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        backend = raw;
        proxyTo(raw.uri(), 1024);

        String answer = RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 502 ").endsWith("502 Bad Gateway\n").doesNotContain("127.0.0.1");
        assertThat(takeLog().failure()).contains(UpstreamFailure.Kind.MALFORMED_RESPONSE);
    }

    @Test
    void aBackendsMalformedChunkAfterTheFirstBytesCutsTheResponseAndIsLoggedAsItsFailure() throws Exception {
        RawBackend raw = new RawBackend("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n");
        backend = raw;
        proxyTo(raw.uri(), 1024);

        String answer = RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        // The head went with the first bytes: the client sees a cut body, never its last chunk.
        assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("\r\n0\r\n");
        RequestLog log = takeLog();
        assertThat(log.failure()).contains(UpstreamFailure.Kind.MALFORMED_RESPONSE);
        assertThat(log.attempts().get(0).endpoint().authority()).isEqualTo(raw.uri().substring("http://".length()));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aBackendsHeaderSectionOverTheLimitIsA502LoggedAsItsFailure(Clients protocol) throws Exception {
        RawBackend raw = new RawBackend("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(40 * 1024)
                + "\r\nContent-Length: 2\r\n\r\nok");
        backend = raw;
        proxyTo(raw.uri(), 1024);
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(502);
            assertThat(response.getContentAsString()).isEqualTo("502 Bad Gateway\n");
            assertThat(takeLog().failure()).contains(UpstreamFailure.Kind.MALFORMED_RESPONSE);
        } finally {
            client.stop();
        }
    }

    /** A backend that records the connection of every request and whether its body was read to the end. */
    private TestBackend connectionsBackend(BlockingQueue<String> seen) throws Exception {
        return TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String connection = request.getConnectionMetaData().getId();
                Content.Source.asString(request, StandardCharsets.ISO_8859_1, new org.eclipse.jetty.util.Promise<>() {
                    @Override
                    public void succeeded(String body) {
                        seen.add(connection + " read " + body.length());
                        TestBackend.Content.write(response, "ok", callback);
                    }

                    @Override
                    public void failed(Throwable failure) {
                        seen.add(connection + " failed");
                        callback.failed(failure);
                    }
                });
                return true;
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX\r\n0\r\n\r\n"})
    void aClientsMalformedChunkingIsA400AndTheBackendConnectionIsNotReused(String badPart) throws Exception {
        String bad = badPart.replace("\\r", "\r").replace("\\n", "\n");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        TestBackend connections = connectionsBackend(seen);
        backend = connections;
        proxyTo(connections.uri(), 1024 * 1024);

        String answer;
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // The backend has the request and its first chunk before the client's framing goes wrong.
            String first = seen.poll(200, TimeUnit.MILLISECONDS);
            assertThat(first).isNull();
            Thread.sleep(300);
            out.write(bad.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            answer = RawHttp.readResponseHead(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(takeLog().failure()).contains(UpstreamFailure.Kind.MALFORMED_REQUEST_BODY);
        String aborted = seen.poll(10, TimeUnit.SECONDS);
        assertThat(aborted).endsWith(" failed");
        String connection = aborted.substring(0, aborted.indexOf(' '));

        String next = RawHttp.exchange(proxy.port(), "POST /y HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nok");

        assertThat(next).startsWith("HTTP/1.1 200 ");
        String fresh = seen.poll(10, TimeUnit.SECONDS);
        assertThat(fresh).endsWith(" read 2").doesNotStartWith(connection + " ");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aChunkWhoseSizeAlreadyPassesTheLimitIsA413AtOnce(boolean headFirst) throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        TestBackend reading = connectionsBackend(seen);
        backend = reading;
        proxyTo(reading.uri(), 1024);
        String head = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunk = "100000\r\n" + "x".repeat(100);

        String answer;
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            if (headFirst) {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(200);
                out.write(chunk.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write((head + chunk).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            // The client sends no more: only the announced size can tell the proxy the body is too large.
            answer = RawHttp.readResponseHead(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(3));
        if (headFirst) {
            // The head went on before the body came; not one byte of the body followed it.
            assertThat(seen.poll(10, TimeUnit.SECONDS)).endsWith(" failed");
        } else {
            assertThat(reading.received()).isZero();
        }
    }

    @Test
    void chunksWithinTheLimitStillGoThrough() throws Exception {
        // The backend reads the whole body before it answers: one that answers first and closes with
        // unread bytes makes the kernel reset the connection, which can lose its answer (a 502).
        TestBackend reading = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.ISO_8859_1);
                Content.Sink.write(response, true, "read " + body.length(), callback);
                return true;
            }
        });
        backend = reading;
        proxyTo(reading.uri(), 1024);

        String answer = RawHttp.exchange(proxy.port(), "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n200;ext=fff\r\n" + "x".repeat(512) + "\r\n200\r\n" + "y".repeat(512)
                + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("read 1024");
    }
}
