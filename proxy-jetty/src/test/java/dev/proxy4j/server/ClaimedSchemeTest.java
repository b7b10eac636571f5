package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a request came over TLS is the connection's to say, not the client's: a plaintext
 * request that names {@code https} (an absolute-form target over HTTP/1.1, {@code :scheme} over
 * h2c) is forwarded with {@code X-Forwarded-Proto: http}, so a backend that trusts the header (for
 * secure cookies, redirects to https, HSTS) is not told a plaintext request was encrypted.
 */
class ClaimedSchemeTest {

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.answering("ok");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    @Test
    void anAbsoluteHttpsTargetOverPlaintextHttp11IsForwardedAsHttp() throws Exception {
        String response = RawHttp.exchange(proxy.port(),
                "GET https://a.example/x HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("ok");
        TestBackend.Seen seen = backend.take();
        assertThat(seen.pathQuery()).isEqualTo("/x");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void anHttpsSchemePseudoHeaderOverH2cIsForwardedAsHttp() throws Exception {
        HTTP2Client client = new HTTP2Client();
        client.start();
        try {
            Session session = client.connect(new InetSocketAddress("127.0.0.1", proxy.port()),
                    new Session.Listener() { }).get(10, TimeUnit.SECONDS);
            CompletableFuture<Integer> status = new CompletableFuture<>();
            MetaData.Request request = new MetaData.Request("GET",
                    HttpURI.from("https://127.0.0.1:" + proxy.port() + "/x"), HttpVersion.HTTP_2, HttpFields.EMPTY);
            session.newStream(new HeadersFrame(request, null, true), new Stream.Listener() {
                @Override
                public void onHeaders(Stream stream, HeadersFrame frame) {
                    if (frame.getMetaData() instanceof MetaData.Response response) {
                        status.complete(response.getStatus());
                    }
                    stream.demand();
                }

                @Override
                public void onDataAvailable(Stream stream) {
                    Stream.Data data = stream.readData();
                    if (data != null) {
                        data.release();
                        if (data.frame().isEndStream()) {
                            return;
                        }
                    }
                    stream.demand();
                }
            });

            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            TestBackend.Seen seen = backend.take();
            assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        } finally {
            client.stop();
        }
    }
}
