package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.compress.Compression;
import dev.proxy4j.compress.Encoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Responses compressed by the proxy, end to end over HTTP/1.1 and HTTP/2, decoded as clients do:
 * gzip with the JDK, brotli with Google's pure-Java decoder, zstd with zstd-jni.
 */
class CompressionEndToEndTest {

    /** A page that compresses well but not trivially: 64 KiB, many chunks through the proxy. */
    private static final String PAGE = page(64 * 1024);
    private static final byte[] PNG = new byte[4096];

    /** The backend compresses nothing itself (WireMock would gzip for an Accept-Encoding otherwise). */
    @RegisterExtension
    static FakeBackend backend = FakeBackend.create(options -> options.gzipDisabled(true));

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .compression(Compression.defaults())
            .route(r -> r.pathPrefix("/plain").compression(Compression.off()).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/gzip-only").compression(Compression.builder().encodings(Encoding.GZIP).build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @BeforeEach
    void stub() {
        for (String path : new String[] {"/page.html", "/plain/page.html", "/gzip-only/page.html"}) {
            backend.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withBody(PAGE)
                    .withHeader("Content-Type", "text/html; charset=utf-8").withHeader("ETag", "\"v1\"")
                    .withHeader("Vary", "Origin")));
        }
        backend.stubFor(get(urlPathEqualTo("/page.html")).withHeader("If-None-Match", equalTo("\"v1\""))
                .atPriority(1).willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));
        backend.stubFor(get(urlPathEqualTo("/self/page.html")).willReturn(aResponse().withBody(Codings.gzip(PAGE))
                .withHeader("Content-Type", "text/html").withHeader("Content-Encoding", "gzip")
                .withHeader("ETag", "\"v1-gz\"")));
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/page.html"))
                .willReturn(aResponse().withHeader("Content-Type", "text/html")));
        backend.stubFor(get(urlPathEqualTo("/logo.png")).willReturn(aResponse().withBody(PNG)
                .withHeader("Content-Type", "image/png")));
        backend.stubFor(get(urlPathEqualTo("/small.txt")).willReturn(aResponse().withBody("short")
                .withHeader("Content-Type", "text/plain")));
        backend.stubFor(get(urlPathEqualTo("/events")).willReturn(aResponse().withBody("data: " + PAGE + "\n\n")
                .withHeader("Content-Type", "text/event-stream")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void gzipIsDecodedByTheJdkToTheBackendsBytes(Protocol protocol) throws IOException {
        ProxyClient.Response response = protocol.client(proxy).get("/page.html", "Accept-Encoding", "gzip");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(response.header("Content-Length")).isNull();
        assertThat(response.header("Vary")).isEqualTo("Origin, Accept-Encoding");
        assertThat(response.header("ETag")).isEqualTo("\"v1--gzip\"");
        assertThat(response.bytes().length).isLessThan(PAGE.length() / 4);
        assertThat(Codings.text(new GZIPInputStream(new ByteArrayInputStream(response.bytes())))).isEqualTo(PAGE);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void brotliIsDecodedByGooglesDecoder(Protocol protocol) throws IOException {
        ProxyClient.Response response = protocol.client(proxy).get("/page.html", "Accept-Encoding", "gzip;q=0.5, br");

        assertThat(response.header("Content-Encoding")).isEqualTo("br");
        assertThat(response.header("ETag")).isEqualTo("\"v1--br\"");
        assertThat(Codings.text(new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(response.bytes())))).isEqualTo(PAGE);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void zstdIsDecodedByZstdJniAndPreferredAmongEquals(Protocol protocol) throws IOException {
        ProxyClient.Response response = protocol.client(proxy).get("/page.html", "Accept-Encoding", "gzip, deflate, br, zstd");

        assertThat(response.header("Content-Encoding")).isEqualTo("zstd");
        assertThat(Codings.text(new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(response.bytes())))).isEqualTo(PAGE);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSuffixedTagGoesBackToTheBackendInItsOwnFormAnd304sKeepTheSuffix(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).get("/page.html", "Accept-Encoding", "gzip",
                "If-None-Match", "\"v1--gzip\"");

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("ETag")).isEqualTo("\"v1--gzip\"");
        assertThat(response.header("Vary")).contains("Accept-Encoding");
        assertThat(backend.takeRequest().header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void imagesShortBodiesEventStreamsHeadAndClientsThatAcceptNoneGetTheBackendsBytes(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response png = client.get("/logo.png", "Accept-Encoding", "gzip, br, zstd");
        assertThat(png.header("Content-Encoding")).isNull();
        assertThat(png.bytes()).isEqualTo(PNG);
        assertThat(png.header("Vary")).isNull();
        ProxyClient.Response small = client.get("/small.txt", "Accept-Encoding", "gzip");
        assertThat(small.header("Content-Encoding")).isNull();
        assertThat(small.body()).isEqualTo("short");
        assertThat(small.header("Vary")).isEqualTo("Accept-Encoding");
        ProxyClient.Response events = client.get("/events", "Accept-Encoding", "gzip");
        assertThat(events.header("Content-Encoding")).isNull();
        assertThat(events.body()).isEqualTo("data: " + PAGE + "\n\n");
        ProxyClient.Response none = client.get("/page.html");
        assertThat(none.header("Content-Encoding")).isNull();
        assertThat(none.body()).isEqualTo(PAGE);
        assertThat(none.header("ETag")).isEqualTo("\"v1\"");
        assertThat(none.header("Vary")).isEqualTo("Origin, Accept-Encoding");
        ProxyClient.Response head = client.send("HEAD", "/page.html", null, "Accept-Encoding", "gzip");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Encoding")).isNull();
        assertThat(head.bytes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRouteHasItsOwnCompressionOrNone(Protocol protocol) throws IOException {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response plain = client.get("/plain/page.html", "Accept-Encoding", "gzip, br, zstd");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Origin");
        assertThat(plain.body()).isEqualTo(PAGE);
        ProxyClient.Response gzipOnly = client.get("/gzip-only/page.html", "Accept-Encoding", "br, zstd, gzip;q=0.1");
        assertThat(gzipOnly.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(Codings.text(new GZIPInputStream(new ByteArrayInputStream(gzipOnly.bytes())))).isEqualTo(PAGE);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void whatTheBackendEncodedItselfPassesAsItIs(Protocol protocol) throws IOException {
        ProxyClient.Response response = protocol.client(proxy).get("/self/page.html", "Accept-Encoding", "gzip, br");

        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(response.header("ETag")).isEqualTo("\"v1-gz\"");
        assertThat(response.bytes()).isEqualTo(Codings.gzip(PAGE));
        assertThat(backend.takeRequest().header("Accept-Encoding")).isEqualTo("gzip, br");
    }

    private static String page(int length) {
        StringBuilder page = new StringBuilder("<!doctype html><title>compressed</title>\n");
        java.util.Random random = new java.util.Random(7);
        String[] words = {"proxy", "route", "upstream", "header", "body", "cache", "gzip", "brotli", "zstd", "event"};
        while (page.length() < length) {
            page.append("<p>").append(words[random.nextInt(words.length)]).append(' ')
                    .append(random.nextInt(100_000)).append("</p>\n");
        }
        return page.substring(0, length);
    }
}
