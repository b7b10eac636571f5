package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.cache.InMemoryCacheStore;
import dev.proxy4j.compress.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared cache with compression in front, over HTTP/1.1 and HTTP/2, counting what the backend
 * received. The two hit paths of docs/compression.md: a backend that sends identity has one stored
 * copy, compressed on the way out for each client (zstd, br, gzip, none); a backend that encodes
 * itself under {@code Vary: Accept-Encoding} has each encoding stored as its own variant, answered
 * as it is. Bodies are decoded as clients do: gzip with the JDK, brotli with Google's pure-Java
 * decoder, zstd with zstd-jni.
 */
class CacheCompressionEndToEndTest {

    private static final String PAGE = page(48 * 1024);

    /** The backend compresses nothing unless a stub says so (WireMock would gzip for an Accept-Encoding otherwise). */
    @RegisterExtension
    static FakeBackend backend = FakeBackend.create(options -> options.gzipDisabled(true));

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .cache(HttpCache.builder().store(InMemoryCacheStore.of(8 * 1024 * 1024, 1024 * 1024)).build())
            .compression(Compression.defaults())
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    private static String path(Protocol protocol, String name) {
        return "/" + name + "-" + protocol.name().toLowerCase() + ".html";
    }

    private static long received(String path) {
        return backend.receivedRequests().stream().filter(r -> r.path().equals(path)).count();
    }

    private static long received(String path, String acceptEncoding) {
        return backend.receivedRequests().stream()
                .filter(r -> r.path().equals(path) && acceptEncoding.equals(r.header("Accept-Encoding"))).count();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anIdentityResponseIsStoredOnceAndEveryHitIsCompressedForItsOwnClient(Protocol protocol) throws IOException {
        String path = path(protocol, "identity");
        backend.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withBody(PAGE)
                .withHeader("Content-Type", "text/html; charset=utf-8").withHeader("ETag", "\"v1\"")
                .withHeader("Cache-Control", "max-age=300").withHeader("Vary", "Origin")));
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response miss = client.get(path, "Accept-Encoding", "gzip");
        ProxyClient.Response zstd = client.get(path, "Accept-Encoding", "gzip, br, zstd");
        ProxyClient.Response br = client.get(path, "Accept-Encoding", "br");
        ProxyClient.Response gzip = client.get(path, "Accept-Encoding", "gzip;q=1, br;q=0.5");
        ProxyClient.Response identity = client.get(path);

        assertThat(miss.header("Cache-Status")).startsWith("proxy4j; fwd=uri-miss");
        assertThat(miss.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(Codings.gunzip(miss.bytes())).isEqualTo(PAGE);
        for (ProxyClient.Response hit : new ProxyClient.Response[] {zstd, br, gzip, identity}) {
            assertThat(hit.status()).isEqualTo(200);
            assertThat(hit.header("Cache-Status")).startsWith("proxy4j; hit; ttl=");
            assertThat(hit.header("Age")).isNotNull();
            assertThat(hit.header("Vary")).isEqualTo("Origin, Accept-Encoding");
        }
        assertThat(zstd.header("Content-Encoding")).isEqualTo("zstd");
        assertThat(zstd.header("ETag")).isEqualTo("\"v1--zstd\"");
        assertThat(Codings.text(new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(zstd.bytes()))))
                .isEqualTo(PAGE);
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(br.header("ETag")).isEqualTo("\"v1--br\"");
        assertThat(Codings.text(new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(br.bytes())))).isEqualTo(PAGE);
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzip.header("Content-Length")).isNull();
        assertThat(Codings.gunzip(gzip.bytes())).isEqualTo(PAGE);
        assertThat(identity.header("Content-Encoding")).isNull();
        assertThat(identity.header("ETag")).isEqualTo("\"v1\"");
        assertThat(identity.body()).isEqualTo(PAGE);
        assertThat(received(path)).as("one fill serves every encoding").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aClientsConditionalWithACompressedTagIsAnswered304FromTheStoredIdentity(Protocol protocol) {
        String path = path(protocol, "conditional");
        backend.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withBody(PAGE)
                .withHeader("Content-Type", "text/html").withHeader("ETag", "\"c1\"")
                .withHeader("Cache-Control", "max-age=300")));
        ProxyClient client = protocol.client(proxy);
        String tag = client.get(path, "Accept-Encoding", "br").header("ETag");

        ProxyClient.Response notModified = client.get(path, "Accept-Encoding", "br", "If-None-Match", tag);
        ProxyClient.Response otherEncoding = client.get(path, "Accept-Encoding", "gzip", "If-None-Match", tag);

        assertThat(tag).isEqualTo("\"c1--br\"");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo("\"c1--br\"");
        assertThat(notModified.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(notModified.bytes()).isEmpty();
        // The client holds the br copy but now takes only gzip: the gzip representation's tag is
        // another, so it gets the whole gzip answer (from the store), not a 304 for bytes it cannot decode.
        assertThat(otherEncoding.status()).isEqualTo(200);
        assertThat(otherEncoding.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(otherEncoding.header("ETag")).isEqualTo("\"c1--gzip\"");
        assertThat(otherEncoding.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBackendsOwnEncodingIsStoredAsItsOwnVariantAndAnsweredAsItIs(Protocol protocol) throws IOException {
        String path = path(protocol, "self");
        byte[] gzipped = Codings.gzip(PAGE);
        backend.stubFor(get(urlPathEqualTo(path)).withHeader("Accept-Encoding", containing("gzip")).atPriority(1)
                .willReturn(aResponse().withBody(gzipped).withHeader("Content-Type", "text/html")
                        .withHeader("Content-Encoding", "gzip").withHeader("Vary", "Accept-Encoding")
                        .withHeader("ETag", "\"s1-gz\"").withHeader("Cache-Control", "max-age=300")));
        backend.stubFor(get(urlPathEqualTo(path)).withHeader("Accept-Encoding", absent()).atPriority(2)
                .willReturn(aResponse().withBody(PAGE).withHeader("Content-Type", "text/html")
                        .withHeader("Vary", "Accept-Encoding").withHeader("ETag", "\"s1\"")
                        .withHeader("Cache-Control", "max-age=300")));
        backend.stubFor(get(urlPathEqualTo(path)).withHeader("Accept-Encoding", notContaining("gzip")).atPriority(3)
                .willReturn(aResponse().withBody(PAGE).withHeader("Content-Type", "text/html")
                        .withHeader("Vary", "Accept-Encoding").withHeader("ETag", "\"s1\"")
                        .withHeader("Cache-Control", "max-age=300")));
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response gzipMiss = client.get(path, "Accept-Encoding", "gzip");
        ProxyClient.Response gzipHit = client.get(path, "Accept-Encoding", "gzip");
        ProxyClient.Response identityMiss = client.get(path);
        ProxyClient.Response identityHit = client.get(path);
        ProxyClient.Response brMiss = client.get(path, "Accept-Encoding", "br");
        ProxyClient.Response brHit = client.get(path, "Accept-Encoding", "br");
        ProxyClient.Response zstdMiss = client.get(path, "Accept-Encoding", "zstd");

        assertThat(gzipMiss.header("Cache-Status")).startsWith("proxy4j; fwd=uri-miss");
        assertThat(gzipHit.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(gzipHit.header("Content-Encoding")).as("not compressed twice").isEqualTo("gzip");
        assertThat(gzipHit.header("ETag")).isEqualTo("\"s1-gz\"");
        assertThat(gzipHit.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gzipHit.bytes()).isEqualTo(gzipped);
        assertThat(Codings.gunzip(gzipHit.bytes())).isEqualTo(PAGE);

        assertThat(identityMiss.header("Cache-Status")).startsWith("proxy4j; fwd=vary-miss");
        assertThat(identityHit.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(identityHit.header("Content-Encoding")).isNull();
        assertThat(identityHit.body()).isEqualTo(PAGE);

        // The backend left br to the proxy: its identity answer for br is stored under br, compressed on the way out.
        assertThat(brMiss.header("Cache-Status")).startsWith("proxy4j; fwd=vary-miss");
        assertThat(brHit.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(brHit.header("Content-Encoding")).isEqualTo("br");
        assertThat(brHit.header("ETag")).isEqualTo("\"s1--br\"");
        assertThat(Codings.text(new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(brHit.bytes()))))
                .isEqualTo(PAGE);
        assertThat(zstdMiss.header("Content-Encoding")).isEqualTo("zstd");
        assertThat(Codings.text(new com.github.luben.zstd.ZstdInputStream(new ByteArrayInputStream(zstdMiss.bytes()))))
                .isEqualTo(PAGE);

        assertThat(received(path, "gzip")).isEqualTo(1);
        assertThat(received(path, "br")).isEqualTo(1);
        assertThat(received(path, "zstd")).isEqualTo(1);
        assertThat(received(path)).as("one fill per variant").isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRangeAndAHeadOnAStoredIdentityAreNotCompressed(Protocol protocol) {
        String path = path(protocol, "range");
        backend.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withBody(PAGE)
                .withHeader("Content-Type", "text/html").withHeader("ETag", "\"r1\"")
                .withHeader("Cache-Control", "max-age=300")));
        ProxyClient client = protocol.client(proxy);
        client.get(path, "Accept-Encoding", "gzip");

        ProxyClient.Response range = client.get(path, "Accept-Encoding", "gzip", "Range", "bytes=10-19");
        ProxyClient.Response head = client.send("HEAD", path, null, "Accept-Encoding", "gzip");

        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Encoding")).isNull();
        assertThat(range.header("Content-Range")).isEqualTo("bytes 10-19/" + PAGE.length());
        assertThat(range.body()).isEqualTo(PAGE.substring(10, 20));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Encoding")).isNull();
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(PAGE.length()));
        assertThat(head.bytes()).isEmpty();
        assertThat(received(path)).isEqualTo(1);
    }

    private static String page(int length) {
        StringBuilder page = new StringBuilder("<!doctype html><title>cached and compressed</title>\n");
        java.util.Random random = new java.util.Random(11);
        String[] words = {"proxy", "route", "upstream", "header", "body", "cache", "gzip", "brotli", "zstd", "vary"};
        while (page.length() < length) {
            page.append("<li>").append(words[random.nextInt(words.length)]).append(' ')
                    .append(random.nextInt(100_000)).append("</li>\n");
        }
        return page.substring(0, length);
    }
}
