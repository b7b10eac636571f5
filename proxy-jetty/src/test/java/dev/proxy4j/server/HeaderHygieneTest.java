package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request headers reach the backend: exactly the client's, less what is refused, plus the forwarding headers. */
class HeaderHygieneTest {

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void startBackend() throws Exception {
        backend = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // Reads the body (so that a chunked one is seen to its end) and answers with its length.
                Content.Source.asString(request, java.nio.charset.StandardCharsets.ISO_8859_1, new org.eclipse.jetty.util.Promise<>() {
                    @Override
                    public void succeeded(String body) {
                        TestBackend.Content.write(response, "read " + body.length(), callback);
                    }

                    @Override
                    public void failed(Throwable failure) {
                        callback.failed(failure);
                    }
                });
                return true;
            }
        });
    }

    private void startProxy(Consumer<ProxyServer.Builder> settings, UpstreamProtocol upstream) {
        ProxyServer.Builder builder = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(u -> u.endpoint(backend.uri()).protocol(upstream)));
        settings.accept(builder);
        proxy = builder.build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    @Test
    void dropsHeaderNamesWithAnUnderscoreSoThatABackendCannotReadThemAsFraming() throws Exception {
        startProxy(b -> { }, UpstreamProtocol.HTTP_1_1);

        String response = RawHttp.exchange(proxy.port(), "POST /x HTTP/1.1\r\nHost: a.example\r\n"
                + "Content-Length: 5\r\nTransfer_Encoding: chunked\r\nX_Tenant: evil\r\nX-Kept: yes\r\n"
                + "Connection: close\r\n\r\nhello");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("read 5");
        TestBackend.Seen seen = backend.take();
        assertThat(names(seen)).doesNotContain("transfer_encoding", "x_tenant").contains("x-kept");
        assertThat(seen.header("Content-Length")).isEqualTo("5");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void dropsUnderscoredHeaderNamesOverEitherProtocol(Clients protocol) throws Exception {
        startProxy(b -> { }, UpstreamProtocol.HTTP_1_1);
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                    .headers(h -> h.add("X_Tenant", "evil").add("X-Kept", "yes"))
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(names(backend.take())).doesNotContain("x_tenant").contains("x-kept");
        } finally {
            client.stop();
        }
    }

    @Test
    void forwardsUnderscoredHeaderNamesWhenAllowed() throws Exception {
        startProxy(b -> b.allowUnderscoresInHeaders(true), UpstreamProtocol.HTTP_1_1);

        String response = RawHttp.exchange(proxy.port(),
                "GET /x HTTP/1.1\r\nHost: a.example\r\nX_Tenant: t1\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ");
        assertThat(backend.take().header("X_Tenant")).isEqualTo("t1");
    }

    @ParameterizedTest
    @EnumSource(UpstreamProtocol.class)
    void theBackendGetsExactlyTheClientsHeadersAndTheForwardingOnesNoInventedContentType(UpstreamProtocol upstream)
            throws Exception {
        startProxy(b -> { }, upstream);

        String response = RawHttp.exchange(proxy.port(), "POST /x HTTP/1.1\r\nHost: a.example\r\n"
                + "Content-Length: 5\r\nX-Custom: 1\r\nConnection: close\r\n\r\nhello");

        assertThat(response).startsWith("HTTP/1.1 200 ");
        TestBackend.Seen seen = backend.take();
        Set<String> expected = new TreeSet<>(List.of("content-length", "x-custom", "x-forwarded-for",
                "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "via", "x-request-id"));
        if (upstream == UpstreamProtocol.HTTP_1_1) {
            expected.add("host");
        }
        assertThat(names(seen)).isEqualTo(expected);
    }

    @Test
    void aChunkedBodyWithoutContentTypeGoesWithoutOne() throws Exception {
        startProxy(b -> { }, UpstreamProtocol.HTTP_1_1);

        String response = RawHttp.exchange(proxy.port(), "PUT /x HTTP/1.1\r\nHost: a.example\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("read 5");
        assertThat(names(backend.take())).doesNotContain("content-type", "user-agent", "accept-encoding", "accept");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBodyAFilterMadeGoesWithoutAContentTypeTheClientDidNotSend(boolean streamed) throws Exception {
        startProxy(b -> b.filter((ctx, request, next) -> {
            Body replaced = streamed
                    ? Bodies.transform(request.body(), (in, last) -> in)
                    : Body.ofUtf8("abc");
            return next.proceed(request.toBuilder().body(replaced).build());
        }), UpstreamProtocol.HTTP_1_1);

        String response = RawHttp.exchange(proxy.port(), "POST /x HTTP/1.1\r\nHost: a.example\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith(streamed ? "read 5" : "read 3");
        assertThat(names(backend.take())).doesNotContain("content-type");
    }

    @Test
    void refusesMoreHeaderFieldsThanTheCountLimitWith431BeforeAnyBackend() throws Exception {
        startProxy(b -> { }, UpstreamProtocol.HTTP_1_1);
        StringBuilder request = new StringBuilder("GET /x HTTP/1.1\r\nHost: a.example\r\n");
        for (int i = 0; i < 1000; i++) {
            request.append("a").append(i).append(": b\r\n");
        }
        request.append("Connection: close\r\n\r\n");

        String response = RawHttp.exchange(proxy.port(), request.toString());

        assertThat(response).startsWith("HTTP/1.1 431 ").endsWith("431 Request Header Fields Too Large\ntoo many header fields\n");
        assertThat(backend.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void forwardsHeadersUpToTheLimitsWithoutFailingOnTheWayOut(Clients protocol) throws Exception {
        startProxy(b -> b.maxRequestHeaderCount(200), UpstreamProtocol.HTTP_1_1);
        HttpClient client = protocol.start();
        try {
            // 120 fields, about 10 KiB (13.5 KiB as HTTP/2 counts): inside both limits (16 KiB, 200 fields),
            // over the 8 KiB Jetty's client allows by default.
            List<HttpField> fields = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                fields.add(new HttpField("X-Field-" + i, "v".repeat(70)));
            }
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                    .headers(h -> fields.forEach(h::add)).timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(backend.take().header("X-Field-119")).isEqualTo("v".repeat(70));
        } finally {
            client.stop();
        }
    }

    @Test
    void refusesTooManyHeaderFieldsOverHttp2Too() throws Exception {
        startProxy(b -> b.maxRequestHeaderCount(20), UpstreamProtocol.HTTP_1_1);
        HttpClient client = Clients.HTTP_2.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                    .headers(h -> {
                        for (int i = 0; i < 30; i++) {
                            h.add("X-Field-" + i, "v");
                        }
                    })
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(431);
            assertThat(backend.received()).isZero();
        } finally {
            client.stop();
        }
    }

    private static Set<String> names(TestBackend.Seen seen) {
        Set<String> names = new TreeSet<>();
        for (HttpField field : seen.headers()) {
            names.add(field.getName().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
