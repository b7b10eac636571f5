package dev.proxy4j.server.adversarial;

import static dev.proxy4j.server.adversarial.Expect.nothing;
import static dev.proxy4j.server.adversarial.Expect.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 requests (h2c, prior knowledge) that are malformed in the ways RFC 9113 8.1.1, 8.2 and 8.3
 * name, sent as raw frames to a proxy whose backend speaks HTTP/1.1: where a translating proxy
 * turns a malformed HTTP/2 field into HTTP/1.1 bytes, it smuggles (a CR/LF in a value becomes a new
 * header line, a content-length that disagrees with the DATA becomes a desynchronised body). Each
 * case states what became of the stream and exactly what the backend got.
 */
class Http2IntoHttp1AttacksTest {

    /** One attack: the HEADERS fields in order, an optional DATA frame, the stream's fate, the backend's. */
    record Case(String name, List<String> fields, @Nullable String data, String outcome, Expect backend) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<String> GET = List.of(":method", "GET", ":scheme", "http", ":authority", "a", ":path", "/a");
    private static final List<String> POST = List.of(":method", "POST", ":scheme", "http", ":authority", "a", ":path", "/a");
    private static final Expect PLAIN_GET = one("GET /a HTTP/1.1", "", "host: a");
    private static final Expect HELLO = one("POST /a HTTP/1.1", "hello", "host: a");
    private static final String MALFORMED = "status 400";
    private static final String RESET = "reset PROTOCOL_ERROR";
    private static final String GOAWAY = "goaway PROTOCOL_ERROR";

    private static List<String> with(List<String> base, String... more) {
        List<String> fields = new ArrayList<>(base);
        fields.addAll(List.of(more));
        return List.copyOf(fields);
    }

    private static Case get(String name, List<String> fields, String outcome, Expect backend) {
        return new Case(name, fields, null, outcome, backend);
    }

    static Stream<Case> contentLength() {
        return Stream.of(
                new Case("content-length above the DATA", with(POST, "content-length", "10"), "hello", RESET, nothing()),
                new Case("content-length below the DATA", with(POST, "content-length", "2"), "hello", RESET, nothing()),
                new Case("two content-lengths that differ", with(POST, "content-length", "5", "content-length", "6"),
                        "hello", MALFORMED, nothing()),
                new Case("a content-length that is not a number", with(POST, "content-length", "5, 5"), "hello",
                        GOAWAY, nothing()),
                new Case("a content-length that agrees with the DATA", with(POST, "content-length", "5"), "hello",
                        "status 200", HELLO),
                new Case("DATA without a content-length is framed by the proxy", POST, "hello", "status 200", HELLO));
    }

    static Stream<Case> connectionSpecific() {
        return Stream.of(
                get("connection", with(GET, "connection", "keep-alive"), MALFORMED, nothing()),
                get("keep-alive", with(GET, "keep-alive", "timeout=5"), MALFORMED, nothing()),
                get("proxy-connection", with(GET, "proxy-connection", "keep-alive"), MALFORMED, nothing()),
                new Case("transfer-encoding: chunked beside DATA", with(POST, "transfer-encoding", "chunked"),
                        "5\r\nhello\r\n0\r\n\r\n", MALFORMED, nothing()),
                get("upgrade", with(GET, "upgrade", "websocket"), MALFORMED, nothing()),
                get("te other than trailers", with(GET, "te", "gzip"), MALFORMED, nothing()),
                get("te: trailers is allowed, and forwarded (gRPC needs it)", with(GET, "te", "trailers"), "status 200",
                        one("GET /a HTTP/1.1", "", "te: trailers", "host: a")));
    }

    static Stream<Case> namesAndValues() {
        return Stream.of(
                get("an upper-case field name", with(GET, "X-Upper", "b"), MALFORMED, nothing()),
                get("CR LF in a value, to add a header line", with(GET, "x-a", "b\r\nx-injected: 1"), MALFORMED, nothing()),
                get("a bare LF in a value", with(GET, "x-a", "b\nx-injected: 1"), MALFORMED, nothing()),
                get("a bare CR in a value", with(GET, "x-a", "b\rc"), MALFORMED, nothing()),
                get("a NUL in a value", with(GET, "x-a", "b\u0000c"), MALFORMED, nothing()),
                get("CR LF in a name", with(GET, "x-a\r\nx-injected", "1"), MALFORMED, nothing()),
                get("a space in a name", with(GET, "x a", "b"), MALFORMED, nothing()),
                get("a colon inside a name", with(GET, "x:a", "b"), MALFORMED, nothing()),
                get("an empty name", with(GET, "", "b"), GOAWAY, nothing()),
                get("an underscore in a name is dropped, as over HTTP/1.1",
                        with(GET, "transfer_encoding", "chunked"), "status 200", PLAIN_GET),
                get("CR LF in :authority", with(List.of(":method", "GET", ":scheme", "http", ":path", "/a"),
                        ":authority", "a\r\nx-injected: 1"), GOAWAY, nothing()),
                get("CR LF in :path", with(List.of(":method", "GET", ":scheme", "http", ":authority", "a"),
                        ":path", "/a HTTP/1.1\r\nx-injected: 1\r\n\r\nGET /b"), "status 400", nothing()),
                get("a space in :path", with(List.of(":method", "GET", ":scheme", "http", ":authority", "a"),
                        ":path", "/a b"), "status 400", nothing()),
                get("a NUL in :path", with(List.of(":method", "GET", ":scheme", "http", ":authority", "a"),
                        ":path", "/a\u0000"), "status 400", nothing()),
                get("a space in :method", with(List.of(":scheme", "http", ":authority", "a", ":path", "/a"),
                        ":method", "GET /b HTTP/1.1\r\nx:"), "status 400", nothing()));
    }

    static Stream<Case> pseudoHeaders() {
        return Stream.of(
                get("no :method", List.of(":scheme", "http", ":authority", "a", ":path", "/a"), MALFORMED, nothing()),
                get("no :path", List.of(":method", "GET", ":scheme", "http", ":authority", "a"), MALFORMED, nothing()),
                get("no :scheme", List.of(":method", "GET", ":authority", "a", ":path", "/a"), MALFORMED, nothing()),
                get("an empty :path", List.of(":method", "GET", ":scheme", "http", ":authority", "a", ":path", ""),
                        MALFORMED, nothing()),
                get("a :path not starting with /", List.of(":method", "GET", ":scheme", "http", ":authority", "a",
                        ":path", "a"), "status 400", nothing()),
                get("two :path fields", with(GET, ":path", "/b"), MALFORMED, nothing()),
                get("a pseudo-header after a regular field", with(List.of(":method", "GET", ":scheme", "http",
                        ":authority", "a", "x-a", "b"), ":path", "/a"), MALFORMED, nothing()),
                get("an unknown pseudo-header", with(GET, ":foo", "bar"), MALFORMED, nothing()),
                get("a response pseudo-header in a request", with(GET, ":status", "200"), MALFORMED, nothing()),
                get("CONNECT with :scheme and :path but no :protocol", List.of(":method", "CONNECT", ":scheme", "http",
                        ":authority", "a:80", ":path", "/a"), "status 405", nothing()),
                get("a host field that differs from :authority", with(GET, "host", "b"), "status 400", nothing()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"contentLength", "connectionSpecific", "namesAndValues", "pseudoHeaders"})
    void answersEachMalformedStreamAndForwardsExactlyWhatIsSafe(Case attack) throws Exception {
        try (RecordingBackend backend = RecordingBackend.answeringOk()) {
            ProxyServer proxy = ProxyServer.builder()
                    .listen("127.0.0.1", 0)
                    .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                    .build()
                    .start();
            try (RawH2 client = new RawH2(proxy.port())) {
                client.headers(1, attack.data() == null, attack.fields());
                if (attack.data() != null) {
                    client.data(1, true, attack.data());
                }

                assertThat(client.outcome(1)).as(attack.name()).isEqualTo(attack.outcome());
                attack.backend().verify(backend);
            } finally {
                proxy.stop();
            }
        }
    }

    @Test
    void aContentLengthOnHeadersThatEndTheStreamIsRefused() throws Exception {
        try (RecordingBackend backend = RecordingBackend.answeringOk()) {
            ProxyServer proxy = ProxyServer.builder()
                    .listen("127.0.0.1", 0)
                    .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                    .build()
                    .start();
            try (RawH2 client = new RawH2(proxy.port())) {
                client.headers(1, true, with(POST, "content-length", "5"));

                assertThat(client.outcome(1)).isEqualTo(MALFORMED);
                nothing().verify(backend);
            } finally {
                proxy.stop();
            }
        }
    }
}
