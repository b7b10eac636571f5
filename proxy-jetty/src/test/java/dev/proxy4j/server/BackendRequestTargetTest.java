package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The backend's request line carries the path and query the filters left, character for
 * character, over HTTP/1.1 and HTTP/2 upstreams: not re-parsed as a URI on the way out, where
 * {@code //a/b} read as the authority {@code a} and went out as {@code /b}.
 */
class BackendRequestTargetTest {

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP_1_1 | /plain                 | /plain",
        "HTTP_2   | /plain                 | /plain",
        "HTTP_1_1 | /q?a=1&b=%20c&d=e?f    | /q?a=1&b=%20c&d=e?f",
        "HTTP_2   | /q?a=1&b=%20c&d=e?f    | /q?a=1&b=%20c&d=e?f",
        "HTTP_1_1 | /q?                    | /q?",
        "HTTP_1_1 | /double                | //two//slashes?x=%2F",
        "HTTP_2   | /double                | //two//slashes?x=%2F",
        "HTTP_1_1 | /encoded               | /%7Euser/a%2Bb/caf%C3%A9",
        "HTTP_2   | /encoded               | /%7Euser/a%2Bb/caf%C3%A9",
    })
    void theBackendGetsThePathAndQueryTheFiltersLeftAsTheyAre(UpstreamProtocol protocol, String target,
            String expected) throws Exception {
        backend = TestBackend.answering("ok");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .filter((ctx, request, next) -> {
                    // A rewrite in a filter is the only way to a target the client-side checks would refuse.
                    if (request.path().equals("/double")) {
                        return next.proceed(request.toBuilder().path("//two//slashes").query("x=%2F").build());
                    }
                    if (request.path().equals("/encoded")) {
                        return next.proceed(request.toBuilder().path("/%7Euser/a%2Bb/caf%C3%A9").query(null).build());
                    }
                    return next.proceed(request);
                })
                .route(r -> r.pathPrefix("/").upstream(Upstream.builder().name("api").endpoint(backend.uri())
                        .protocol(protocol).build()))
                .build().start();

        String response = RawHttp.exchange(proxy.port(),
                "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("ok");
        TestBackend.Seen seen = backend.take();
        assertThat(seen.protocol()).isEqualTo(protocol == UpstreamProtocol.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
        assertThat(seen.pathQuery()).isEqualTo(expected);
    }
}
