package dev.proxy4j.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the backend must have got from one attack: no complete request (nothing at all, or a head
 * whose body the proxy cut off by closing the connection), or exactly these requests, in order.
 *
 * <p>A forwarded request is compared whole: its request line, its body, and its headers less the
 * proxy's forwarding headers (each present once, {@code X-Forwarded-For} the real peer) and less
 * its framing, which the proxy chooses itself and which must agree with the body.
 */
record Expect(List<Forwarded> requests) {

    /** One request as the backend must get it; {@code headers} as {@code "name: value"}, names lower case. */
    record Forwarded(String requestLine, String body, List<String> headers) {
    }

    private static final Set<String> FORWARDING =
            Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "via", "x-request-id");

    static Expect nothing() {
        return new Expect(List.of());
    }

    static Expect one(String requestLine, String body, String... headers) {
        return nothing().then(requestLine, body, headers);
    }

    Expect then(String requestLine, String body, String... headers) {
        List<Forwarded> more = new ArrayList<>(requests);
        more.add(new Forwarded(requestLine, body, List.of(headers)));
        return new Expect(List.copyOf(more));
    }

    void verify(RecordingBackend backend) throws InterruptedException {
        for (Forwarded expected : requests) {
            RecordingBackend.Received got = backend.next();
            assertThat(got).as("a request at the backend").isNotNull();
            assertThat(got.complete()).as("the request came whole: %s", got).isTrue();
            assertThat(got.requestLine()).isEqualTo(expected.requestLine());
            assertThat(got.body()).isEqualTo(expected.body());
            assertFraming(got);
            for (String name : FORWARDING) {
                assertThat(got.all(name)).as("%s sent once by the proxy", name).hasSize(1);
            }
            assertThat(got.all("x-forwarded-for")).containsExactly("127.0.0.1");
            assertThat(endToEndHeaders(got)).as("the headers the backend got").isEqualTo(expected.headers());
        }
        RecordingBackend.Received more;
        while ((more = backend.more()) != null) {
            assertThat(more.complete()).as("no other request reached the backend whole: %s", more).isFalse();
            assertThat(requests).as("a request after the expected ones: %s", more).isEmpty();
        }
    }

    /** The framing is the proxy's own: a Content-Length equal to the body, or chunked, never both. */
    private static void assertFraming(RecordingBackend.Received got) {
        List<String> lengths = got.all("content-length");
        List<String> codings = got.all("transfer-encoding");
        assertThat(lengths.isEmpty() || codings.isEmpty()).as("not both Content-Length and Transfer-Encoding").isTrue();
        if (!lengths.isEmpty()) {
            assertThat(lengths).containsExactly(String.valueOf(got.body().length()));
        }
        if (!codings.isEmpty()) {
            assertThat(codings).containsExactly("chunked");
        }
        if (!got.body().isEmpty()) {
            assertThat(lengths.size() + codings.size()).as("a body has framing").isEqualTo(1);
        }
    }

    private static List<String> endToEndHeaders(RecordingBackend.Received got) {
        List<String> headers = new ArrayList<>();
        String[] lines = got.head().split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            if (!FORWARDING.contains(name) && !name.equals("content-length") && !name.equals("transfer-encoding")) {
                headers.add(name + ": " + lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
