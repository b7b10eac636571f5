package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.compress.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Static files through a real proxy, over HTTP/1.1 and HTTP/2, with compression on as a site would have it. */
class StaticFilesEndToEndTest {

    private static final String CSS = "main { display: grid; gap: 1rem; }\n".repeat(400);
    private static final byte[] JS_BR = {0x1b, 0x02, 0x03};
    private static final Path DIR = tempDir();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .compression(Compression.defaults())
            .route(r -> r.pathPrefix("/assets").stripPrefix("/assets")
                    .filter(dev.proxy4j.filter.CacheHeaders.builder()
                            .rule(rule -> rule.paths("*.css").expires(java.time.Duration.ofDays(365)).cacheControl("public, immutable"))
                            .build())
                    .staticFiles(DIR.resolve("public"))));

    @org.junit.jupiter.api.AfterAll
    static void removeFiles() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(DIR)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("proxy4j-static");
            Path root = Files.createDirectory(dir.resolve("public"));
            Files.writeString(root.resolve("site.css"), CSS);
            Files.writeString(root.resolve("app.js"), "console.log('identity')");
            Files.write(root.resolve("app.js.br"), JS_BR);
            Files.writeString(dir.resolve("secret.txt"), "outside");
            Files.createSymbolicLink(root.resolve("leak.txt"), dir.resolve("secret.txt"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aFileIsCompressedOnTheWayAndItsTagWorksForA304(Protocol protocol) throws IOException {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response response = client.get("/assets/site.css", "Accept-Encoding", "gzip");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(response.bytes())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(CSS);
        String etag = response.header("ETag");
        assertThat(etag).endsWith("--gzip\"");

        ProxyClient.Response again = client.get("/assets/site.css", "Accept-Encoding", "gzip", "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.bytes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRouteSetsCacheControlAndExpiresByPath(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response css = client.get("/assets/site.css");
        assertThat(css.header("Cache-Control")).isEqualTo("max-age=31536000, public, immutable");
        assertThat(css.header("Expires")).endsWith(" GMT");
        assertThat(client.get("/assets/app.js").header("Cache-Control")).isNull();
        assertThat(client.get("/assets/missing.css").header("Cache-Control")).as("not on a 404").isNull();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRangeIsA206OfTheFileItselfAndPastTheEndA416(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response part = client.get("/assets/site.css", "Accept-Encoding", "gzip", "Range", "bytes=0-3");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Encoding")).isNull();
        assertThat(part.header("Content-Range")).isEqualTo("bytes 0-3/" + CSS.length());
        assertThat(part.body()).isEqualTo("main");
        ProxyClient.Response past = client.get("/assets/site.css", "Range", "bytes=999999-");
        assertThat(past.status()).isEqualTo(416);
        assertThat(past.header("Content-Range")).isEqualTo("bytes */" + CSS.length());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aPrecompressedSiblingPassesUntouchedAndHeadHasTheLength(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response br = client.get("/assets/app.js", "Accept-Encoding", "br, gzip");
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(br.bytes()).isEqualTo(JS_BR);
        assertThat(br.header("Vary")).isEqualTo("Accept-Encoding");
        ProxyClient.Response head = client.send("HEAD", "/assets/site.css", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(CSS.length()));
        assertThat(head.bytes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void nothingOutsideTheRootIsServedThroughTheProxy(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        for (String path : new String[] {"/assets/leak.txt", "/assets/%2e%2e/secret.txt", "/assets/..%5csecret.txt",
                "/assets/%252e%252e/secret.txt", "/assets/.%2e/secret.txt"}) {
            ProxyClient.Response response = client.get(path);
            assertThat(response.status()).as(path).isIn(400, 404);
            assertThat(response.body()).as(path).doesNotContain("outside");
        }
    }
}
