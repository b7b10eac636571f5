package dev.proxy4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static final String TEXT = "x".repeat(1000);
    private final Compression compression = Compression.defaults();

    private static ProxyRequest request(String method, String... headers) {
        return ProxyRequest.builder().method(method).path("/").headers(Headers.of(headers)).build();
    }

    private static ProxyRequest get(String... headers) {
        return request("GET", headers);
    }

    private static ProxyResponse response(int status, String body, String... headers) {
        return ProxyResponse.builder(status).headers(Headers.of(headers)).body(Body.ofUtf8(body)).build();
    }

    private static ProxyResponse html(String... more) {
        String[] headers = new String[more.length + 2];
        headers[0] = "Content-Type";
        headers[1] = "text/html; charset=utf-8";
        System.arraycopy(more, 0, headers, 2, more.length);
        return response(200, TEXT, headers);
    }

    @Test
    void aTextResponseIsCompressedWithTheNegotiatedEncodingAndItsHeadersFollow() {
        Compression.Decision decision = compression.apply(get("Accept-Encoding", "gzip, br"),
                html("Content-Length", "1000", "ETag", "\"v1\"", "Accept-Ranges", "bytes"));

        assertThat(decision.encoding()).contains(Encoding.BROTLI);
        Headers headers = decision.response().headers();
        assertThat(headers.get("Content-Encoding")).isEqualTo("br");
        assertThat(headers.contains("Content-Length")).isFalse();
        assertThat(headers.contains("Accept-Ranges")).isFalse();
        assertThat(headers.get("ETag")).isEqualTo("\"v1--br\"");
        assertThat(headers.get("Vary")).isEqualTo("Accept-Encoding");
        assertThat(headers.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void weakTagsStayWeakAndABrokenTagIsDropped() {
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("ETag", "W/\"v1\"")).response()
                .headers().get("ETag")).isEqualTo("W/\"v1--gzip\"");
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("ETag", "v1")).response()
                .headers().contains("ETag")).isFalse();
    }

    @Test
    void varyIsMergedWithTheBackendsNeverOverwritten() {
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("Vary", "Origin")).response()
                .headers().get("Vary")).isEqualTo("Origin, Accept-Encoding");
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("Vary", "Origin", "Vary", "Cookie")).response()
                .headers().getAll("Vary")).containsExactly("Origin, Cookie, Accept-Encoding");
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("Vary", "accept-encoding")).response()
                .headers().getAll("Vary")).containsExactly("accept-encoding");
        assertThat(compression.apply(get("Accept-Encoding", "gzip"), html("Vary", "*")).response()
                .headers().getAll("Vary")).containsExactly("*");
    }

    @Test
    void aClientThatAcceptsNoneGetsIdentityButTheVaryAll() {
        Compression.Decision decision = compression.apply(get(), html("Content-Length", "1000"));

        assertThat(decision.encoding()).isEmpty();
        assertThat(decision.response().headers().get("Content-Length")).isEqualTo("1000");
        assertThat(decision.response().headers().get("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void alreadyEncodedRangesNoTransformAndBodilessStatusesAreLeftAlone() {
        ProxyRequest request = get("Accept-Encoding", "gzip");
        List<ProxyResponse> untouched = List.of(
                html("Content-Encoding", "br"),
                response(206, TEXT, "Content-Type", "text/plain", "Content-Range", "bytes 0-999/5000"),
                html("Cache-Control", "public, no-transform"),
                response(204, "", "Content-Type", "text/plain"),
                response(101, "", "Content-Type", "text/plain"));
        for (ProxyResponse response : untouched) {
            Compression.Decision decision = compression.apply(request, response);
            assertThat(decision.encoding()).as("%s", response).isEmpty();
            assertThat(decision.response().headers()).as("%s", response).isEqualTo(response.headers());
        }
        assertThat(compression.apply(request, html("Content-Encoding", "identity")).encoding()).contains(Encoding.GZIP);
    }

    @Test
    void onlyCompressibleTypesAreCompressed() {
        ProxyRequest request = get("Accept-Encoding", "gzip");
        for (String type : List.of("text/css", "application/json", "application/problem+json", "application/atom+xml",
                "image/svg+xml", "application/javascript; charset=utf-8", "TEXT/HTML")) {
            assertThat(compression.apply(request, response(200, TEXT, "Content-Type", type)).encoding()).as(type)
                    .contains(Encoding.GZIP);
        }
        for (String type : List.of("image/png", "image/jpeg", "video/mp4", "audio/ogg", "application/zip",
                "application/gzip", "font/woff2", "application/octet-stream", "text/event-stream",
                "application/grpc", "application/grpc+proto")) {
            Compression.Decision decision = compression.apply(request, response(200, TEXT, "Content-Type", type));
            assertThat(decision.encoding()).as(type).isEmpty();
            assertThat(decision.response().headers().contains("Vary")).as(type).isFalse();
        }
        assertThat(compression.apply(request, response(200, TEXT)).encoding()).as("no type").isEmpty();
    }

    @Test
    void shortBodiesAndHeadAreNotCompressed() {
        ProxyRequest request = get("Accept-Encoding", "gzip");
        assertThat(compression.apply(request, response(200, "x".repeat(255), "Content-Type", "text/plain")).encoding()).isEmpty();
        assertThat(compression.apply(request, response(200, "x".repeat(256), "Content-Type", "text/plain")).encoding()).isPresent();
        ProxyResponse headAnswer = response(200, "", "Content-Type", "text/plain", "Content-Length", "5000");
        Compression.Decision head = compression.apply(request("HEAD", "Accept-Encoding", "gzip"), headAnswer);
        assertThat(head.encoding()).isEmpty();
        assertThat(head.response().headers().get("Content-Length")).isEqualTo("5000");
        assertThat(Compression.builder().minLength(0).build()
                .apply(request, response(200, "x", "Content-Type", "text/plain")).encoding()).isPresent();
    }

    @Test
    void aTagOfAnEncodingTheClientNoLongerAcceptsKeepsItsSuffixInIfNoneMatchSoItCannotMatch() {
        ProxyRequest asked = get("Accept-Encoding", "gzip, br;q=0", "If-None-Match", "\"v1--br\", \"v1--gzip\"",
                "If-Match", "\"v1--zstd\"");
        ProxyRequest none = get("If-None-Match", "\"v1--gzip\"");

        assertThat(Compression.mapConditionals(asked).headers().get("If-None-Match"))
                .isEqualTo("\"v1--br\", \"v1\"");
        assertThat(Compression.mapConditionals(asked).headers().get("If-Match"))
                .as("an update's precondition is about the resource, whatever the encoding").isEqualTo("\"v1\"");
        assertThat(Compression.mapConditionals(none)).as("no Accept-Encoding: identity only").isSameAs(none);
        assertThat(Compression.mapConditionals(get("Accept-Encoding", "*", "If-None-Match", "\"v1--zstd\""))
                .headers().get("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void aSuffixedTagComesBackToTheBackendInItsOwnFormAndThe304GetsTheSuffixAgain() {
        ProxyRequest asked = get("Accept-Encoding", "gzip", "If-None-Match", "\"v0\", W/\"v1--gzip\"",
                "If-Match", "\"v1--br\"", "If-Range", "\"v1--gzip\"");

        ProxyRequest mapped = Compression.mapConditionals(asked);

        assertThat(mapped.headers().get("If-None-Match")).isEqualTo("\"v0\", W/\"v1\"");
        assertThat(mapped.headers().get("If-Match")).isEqualTo("\"v1\"");
        assertThat(mapped.headers().get("If-Range")).isEqualTo("\"v1--gzip\"");
        Compression.Decision decision = compression.apply(asked, response(304, "", "ETag", "W/\"v1\""));
        assertThat(decision.encoding()).isEmpty();
        assertThat(decision.response().headers().get("ETag")).isEqualTo("W/\"v1--gzip\"");
        assertThat(decision.response().headers().get("Vary")).isEqualTo("Accept-Encoding");
        ProxyRequest plain = get("If-None-Match", "\"v1\"");
        assertThat(Compression.mapConditionals(plain)).isSameAs(plain);
        assertThat(compression.apply(plain, response(304, "", "ETag", "\"v1\"")).response().headers().get("ETag"))
                .isEqualTo("\"v1\"");
    }

    @Test
    void offChangesNothing() {
        ProxyResponse response = html("ETag", "\"v1\"");
        ProxyRequest request = get("Accept-Encoding", "gzip", "If-None-Match", "\"v1--gzip\"");

        assertThat(Compression.off().enabled()).isFalse();
        assertThat(Compression.off().apply(request, response).response()).isSameAs(response);
        assertThat(Compression.builder().encodings().build().enabled()).isFalse();
    }

    @Test
    void settingsAreCheckedWithTheFieldAndValue() {
        assertThatThrownBy(() -> Compression.builder().minLength(-1))
                .hasMessage("minLength: -1 (expected: >= 0)");
        assertThatThrownBy(() -> Compression.builder().types(List.of("html")))
                .hasMessage("types: \"html\" (expected: a media type such as text/html, text/* or application/*+json)");
        assertThatThrownBy(() -> Compression.builder().encodings(Encoding.GZIP, Encoding.GZIP))
                .hasMessage("encodings: [gzip, gzip] (expected: each encoding once)");
        assertThatThrownBy(() -> Compression.builder().level(Encoding.BROTLI, 12))
                .hasMessage("br level: 12 (expected: 0..11)");
        assertThatThrownBy(() -> Encoding.parse("deflate"))
                .hasMessage("encoding: \"deflate\" (expected: one of gzip, br, zstd)");
        assertThat(Encoding.parse("brotli")).isEqualTo(Encoding.BROTLI);
        Compression custom = Compression.builder().encodings(Encoding.GZIP).types(List.of("application/x-custom"))
                .excludedTypes(List.of()).level(Encoding.GZIP, 1).build();
        assertThat(custom.compressible("application/x-custom")).isTrue();
        assertThat(custom.compressible("text/html")).isFalse();
        assertThat(custom.level(Encoding.GZIP)).isEqualTo(1);
        assertThat(custom.toBuilder().build().encodings()).containsExactly(Encoding.GZIP);
        assertThat(Optional.of(custom.toString())).contains("Compression[gzip][min 256]");
    }
}
