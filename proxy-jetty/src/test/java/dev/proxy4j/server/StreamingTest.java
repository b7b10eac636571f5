package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bodies stream both ways, byte for byte; HEAD, 100-continue, trailers and client aborts behave. */
class StreamingTest {

    private static final long SIZE = 64L * 1024 * 1024 + 123;

    private TestBackend backend;
    private TestBackend endless;
    private final CountDownLatch endlessFailed = new CountDownLatch(1);
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(new StreamingBackend());
        endless = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
                try (OutputStream out = org.eclipse.jetty.io.Content.Sink.asOutputStream(response)) {
                    for (int i = 0; i < 100_000; i++) {
                        out.write(new byte[1024]);
                        out.flush();
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    endlessFailed.countDown();
                }
                callback.succeeded();
                return true;
            }
        });
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .maxRequestBodyBytes(dev.proxy4j.config.Limits.UNLIMITED)
                .route(r -> r.pathPrefix("/endless").upstream(endless.uri()))
                .route(r -> r.pathPrefix("/patient").stripPrefix("/patient")
                        .responseHeadersTimeout(java.time.Duration.ofMillis(300)).upstream(backend.uri()))
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
        endless.close();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void streamsALargeDownloadByteForByte(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            InputStreamResponseListener listener = new InputStreamResponseListener();
            client.newRequest("127.0.0.1", proxy.port()).path("/download?size=" + SIZE).send(listener);
            Response response = listener.get(10, TimeUnit.SECONDS);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream in = listener.getInputStream()) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    received += n;
                }
            }

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(received).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(StreamingBackend.patternSha256(SIZE));
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void streamsALargeUploadByteForByte(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).method("POST").path("/upload")
                    .body(new InputStreamRequestContent(StreamingBackend.patternStream(SIZE)))
                    .timeout(60, TimeUnit.SECONDS)
                    .send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo(StreamingBackend.patternSha256(SIZE) + " " + SIZE);
        } finally {
            client.stop();
        }
    }

    @Test
    void passesContentLengthForHeadWithoutABody() throws Exception {
        String response = RawHttp.exchange(proxy.port(),
                "HEAD /download?size=1000&length=true HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").containsIgnoringCase("Content-Length: 1000\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void answers100ContinueAndThenForwardsTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = RawHttp.readResponseHead(in);
            assertThat(interim).startsWith("HTTP/1.1 100 ");

            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = RawHttp.readResponseHead(in);

            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("hello".getBytes())) + " 5");
        }
    }

    @Test
    void passesTrailersOfAChunkedResponseOn() throws Exception {
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/trailers")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getContentAsString()).isEqualTo("part1-part2");
            assertThat(response.getTrailers()).isNotNull();
            assertThat(response.getTrailers().get("X-Checksum")).isEqualTo("abc123");
        } finally {
            client.stop();
        }
    }

    @Test
    void cancelsTheUpstreamExchangeWhenTheClientGoesAway() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            AtomicLong read = new AtomicLong();
            byte[] buffer = new byte[8192];
            while (read.get() < 16 * 1024) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                read.addAndGet(n);
            }
        }

        assertThat(endlessFailed.await(20, TimeUnit.SECONDS))
                .as("the backend's write fails once the proxy drops the upstream exchange")
                .isTrue();
    }

    @Test
    void startsWaitingForResponseHeadersOnlyOnceTheRequestIsSent() throws Exception {
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            org.eclipse.jetty.client.AsyncRequestContent body = new org.eclipse.jetty.client.AsyncRequestContent();
            var response = new java.util.concurrent.CompletableFuture<org.eclipse.jetty.client.Result>();
            var listener = new org.eclipse.jetty.client.BufferingResponseListener() {
                @Override
                public void onComplete(org.eclipse.jetty.client.Result result) {
                    response.complete(result);
                }
            };
            client.newRequest("127.0.0.1", proxy.port()).method("POST").path("/patient/upload").body(body)
                    .timeout(20, TimeUnit.SECONDS).send(listener);
            // Ten chunks 150 ms apart: the upload takes five times the response-headers timeout.
            for (int i = 0; i < 10; i++) {
                body.write(java.nio.ByteBuffer.wrap("0123456789".getBytes()), org.eclipse.jetty.util.Callback.NOOP);
                Thread.sleep(150);
            }
            body.close();

            org.eclipse.jetty.client.Result result = response.get(20, TimeUnit.SECONDS);
            assertThat(result.getResponse().getStatus()).isEqualTo(200);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("0123456789".repeat(10).getBytes()));
            assertThat(listener.getContentAsString()).isEqualTo(sha + " 100");
        } finally {
            client.stop();
        }
    }
}
