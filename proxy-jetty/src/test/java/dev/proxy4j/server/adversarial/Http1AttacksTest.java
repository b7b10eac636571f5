package dev.proxy4j.server.adversarial;

import static dev.proxy4j.server.adversarial.Expect.nothing;
import static dev.proxy4j.server.adversarial.Expect.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/1.1 requests an attacker sends to make the proxy and a backend disagree about where a request
 * ends or what it says, sent as raw bytes: each case states the exact status and exactly what a
 * backend behind the proxy then got. The backend frames requests itself, so a request smuggled in
 * another's body would show up there as a second request.
 */
class Http1AttacksTest {

    /** One attack: its name, its bytes, the status the client must get, and what the backend must get. */
    record Case(String name, String request, int status, Expect backend) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String POST = "POST /a HTTP/1.1\r\nHost: a\r\n";
    private static final String GET = "GET /a HTTP/1.1\r\nHost: a\r\n";
    private static final Expect HELLO = one("POST /a HTTP/1.1", "hello", "host: a");
    private static final Expect PLAIN_GET = one("GET /a HTTP/1.1", "", "host: a");

    static Stream<Case> smuggling() {
        return Stream.of(
                // CL.TE and TE.CL: both framings in one message (RFC 9112 6.3: a message with both is refused).
                new Case("CL.TE: Content-Length first, a chunked body hiding a second request",
                        POST + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
                        400, nothing()),
                new Case("TE.CL: Transfer-Encoding first, a Content-Length shorter than the chunks",
                        POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
                        400, nothing()),
                new Case("CL.TE with an obfuscated coding beside the length",
                        POST + "Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\nhello", 400, nothing()),
                // TE.TE: codings that one parser reads as chunked and another does not.
                new Case("TE.TE: an unknown coding", POST + "Transfer-Encoding: xchunked\r\n\r\n", 400, nothing()),
                new Case("TE.TE: chunked, then a second Transfer-Encoding field",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400, nothing()),
                new Case("TE.TE: chunked not last", POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                        400, nothing()),
                new Case("TE.TE: a quoted coding", POST + "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400, nothing()),
                new Case("TE.TE: a space before the colon", POST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                        400, nothing()),
                new Case("TE.TE: a vertical tab before the coding", POST + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n",
                        400, nothing()),
                new Case("TE.TE: the coding folded onto a second line",
                        POST + "Transfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("TE.TE: an unknown coding before chunked is re-framed, the backend never sees it",
                        POST + "Transfer-Encoding: identity, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200, HELLO),
                new Case("TE.TE: upper case is still chunked, and re-framed",
                        POST + "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200, HELLO),
                new Case("TE.TE: a tab before the coding is whitespace, and re-framed",
                        POST + "Transfer-Encoding:\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 200, HELLO),
                new Case("TE in an HTTP/1.0 request (RFC 9112 6.1: faulty framing)",
                        "POST /a HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.0\r\nHost: a\r\n\r\n", 400, nothing()),
                // Hop-by-hop abuse: naming the framing or the forwarding headers in Connection.
                new Case("Connection naming Content-Length does not strip the framing",
                        POST + "Connection: content-length\r\nContent-Length: 5\r\n\r\nhello", 200, HELLO),
                new Case("Connection naming Transfer-Encoding does not strip the framing",
                        POST + "Connection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        200, HELLO),
                new Case("Connection naming X-Forwarded-For cannot remove or spoof it",
                        GET + "Connection: x-forwarded-for\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n", 200, PLAIN_GET),
                new Case("a pipelined second request after a GET's body is a request of its own",
                        GET + "Content-Length: 5\r\n\r\nhelloGET /second HTTP/1.1\r\nHost: a\r\n\r\n", 200,
                        one("GET /a HTTP/1.1", "hello", "host: a").then("GET /second HTTP/1.1", "", "host: a")));
    }

    static Stream<Case> contentLength() {
        return Stream.of(
                new Case("two different Content-Lengths", POST + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
                        400, nothing()),
                new Case("two equal Content-Lengths", POST + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nab",
                        400, nothing()),
                new Case("a list of lengths", POST + "Content-Length: 2, 2\r\n\r\nab", 400, nothing()),
                new Case("a signed length", POST + "Content-Length: +2\r\n\r\nab", 400, nothing()),
                new Case("a negative length", POST + "Content-Length: -1\r\n\r\nab", 400, nothing()),
                new Case("a hexadecimal length", POST + "Content-Length: 0x2\r\n\r\nab", 400, nothing()),
                new Case("a length past 2^64", POST + "Content-Length: 99999999999999999999\r\n\r\nab", 400, nothing()),
                new Case("an empty length", POST + "Content-Length: \r\n\r\nab", 400, nothing()),
                new Case("a space before the colon", POST + "Content-Length : 2\r\n\r\nab", 400, nothing()),
                new Case("trailing whitespace is not part of the length", POST + "Content-Length: 5 \t\r\n\r\nhello",
                        200, HELLO));
    }

    static Stream<Case> fieldSyntax() {
        return Stream.of(
                new Case("whitespace before the colon", GET + "X-A : b\r\n\r\n", 400, nothing()),
                new Case("whitespace before the first field name", GET.replace("\r\nHost", "\r\n Host") + "\r\n",
                        400, nothing()),
                new Case("obs-fold (RFC 9112 5.2)", GET + "X-A: one\r\n two\r\n\r\n", 400, nothing()),
                new Case("a space in a field name", GET + "X A: b\r\n\r\n", 400, nothing()),
                new Case("a field without a colon", GET + "X-A b\r\n\r\n", 400, nothing()),
                new Case("a bare CR in a value", GET + "X-A: b\rc\r\n\r\n", 400, nothing()),
                new Case("a NUL in a value", GET + "X-A: b\u0000c\r\n\r\n", 400, nothing()),
                new Case("a bare CR ending the request line", "GET /a HTTP/1.1\rHost: a\r\n\r\n", 400, nothing()),
                new Case("bare LF line ends are read as line ends and forwarded as CRLF",
                        "GET /a HTTP/1.1\nHost: a\nX-A: b\n\n", 200, one("GET /a HTTP/1.1", "", "x-a: b", "host: a")),
                new Case("obs-text in a value is forwarded byte for byte", GET + "X-A: b\u00ffc\r\n\r\n", 200,
                        one("GET /a HTTP/1.1", "", "x-a: b\u00ffc", "host: a")),
                new Case("two Host fields", GET + "Host: b\r\n\r\n", 400, nothing()),
                new Case("no Host in HTTP/1.1", "GET /a HTTP/1.1\r\n\r\n", 400, nothing()),
                new Case("a space in Host", "GET /a HTTP/1.1\r\nHost: a b\r\n\r\n", 400, nothing()),
                new Case("userinfo in Host", "GET /a HTTP/1.1\r\nHost: a@b\r\n\r\n", 400, nothing()),
                new Case("an absolute-form target naming another host than Host",
                        "GET http://b.example/a HTTP/1.1\r\nHost: a\r\n\r\n", 400, nothing()),
                new Case("a space inside the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, nothing()),
                new Case("a NUL in the method", "G\u0000T /a HTTP/1.1\r\nHost: a\r\n\r\n", 400, nothing()),
                new Case("HTTP/1.2", "GET /a HTTP/1.2\r\nHost: a\r\n\r\n", 505, nothing()),
                new Case("HTTP/0.9", "GET /a\r\n\r\n", 505, nothing()),
                new Case("HTTP/2.0 in an HTTP/1 request line", "GET /a HTTP/2.0\r\nHost: a\r\n\r\n", 426, nothing()));
    }

    static Stream<Case> chunking() {
        String chunked = POST + "Transfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                new Case("a space before the chunk size", chunked + " 5\r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("a space after the chunk size", chunked + "5 \r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("a 0x prefix on the chunk size", chunked + "0x5\r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("a chunk size past 2^64", chunked + "FFFFFFFFFFFFFFFFF5\r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("a bare LF inside a chunk extension", chunked + "5;a\nb\r\nhello\r\n0\r\n\r\n", 400, nothing()),
                new Case("a bare LF after the chunk data", chunked + "5\r\nhello\n0\r\n\r\n", 400, nothing()),
                new Case("bare LFs ending the last chunk", chunked + "5\r\nhello\r\n0\n\n", 400, nothing()),
                new Case("more data than the chunk size", chunked + "5\r\nhelloXX\r\n0\r\n\r\n", 400, nothing()),
                new Case("trailers are not forwarded as headers", chunked + "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", 200,
                        HELLO),
                new Case("a chunk extension is dropped", chunked + "5;name=value\r\nhello\r\n0\r\n\r\n", 200, HELLO));
    }

    static Stream<Case> oversized() {
        return Stream.of(
                new Case("a header field over the 16 KiB head limit", GET + "X-Big: " + "x".repeat(20_000) + "\r\n\r\n",
                        431, nothing()),
                new Case("a request target over the limit", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
                        414, nothing()),
                new Case("a Content-Length over the body limit", POST + "Content-Length: 2000\r\n\r\n" + "x".repeat(2000),
                        413, nothing()),
                new Case("chunks adding up past the body limit", POST + "Transfer-Encoding: chunked\r\n\r\n"
                        + ("200\r\n" + "x".repeat(512) + "\r\n").repeat(3) + "0\r\n\r\n", 413, nothing()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"smuggling", "contentLength", "fieldSyntax", "chunking", "oversized"})
    void answersEachAttackWithItsStatusAndForwardsExactlyWhatIsSafe(Case attack) throws Exception {
        try (RecordingBackend backend = RecordingBackend.answeringOk()) {
            ProxyServer proxy = ProxyServer.builder()
                    .listen("127.0.0.1", 0)
                    .maxRequestBodyBytes(1024)
                    .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                    .build()
                    .start();
            try {
                RawClient.Answer answer = RawClient.exchange(proxy.port(), attack.request(),
                        Math.max(1, attack.backend().requests().size()));

                assertThat(answer.status()).as("the status of: %s", answer.text()).isEqualTo(attack.status());
                attack.backend().verify(backend);
            } finally {
                proxy.stop();
            }
        }
    }
}
