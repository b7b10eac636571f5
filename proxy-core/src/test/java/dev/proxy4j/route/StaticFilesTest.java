package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    @TempDir
    Path dir;
    private Path root;
    private StaticFiles files;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectory(dir.resolve("public"));
        Files.writeString(root.resolve("app.js"), "console.log(1)");
        Files.createDirectory(root.resolve("docs"));
        Files.writeString(root.resolve("docs").resolve("index.html"), "<h1>docs</h1>");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        Files.setLastModifiedTime(root.resolve("app.js"), FileTime.from(Instant.parse("2026-11-01T10:00:00Z")));
        files = StaticFiles.of(root);
    }

    private ProxyResponse get(String method, String path, String... headers) throws Exception {
        ProxyRequest request = ProxyRequest.builder().method(method).path(path).headers(Headers.of(headers)).build();
        return files.handle(TestContexts.direct(), request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String text(Body body) throws Exception {
        return new String(Bodies.aggregate(body, 1 << 20).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void servesAFileWithItsTypeLengthDateAndTag() throws Exception {
        ProxyResponse response = get("GET", "/app.js");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(response.headers().get("Content-Length")).isEqualTo("14");
        assertThat(response.headers().get("Last-Modified")).isEqualTo("Sun, 01 Nov 2026 10:00:00 GMT");
        assertThat(response.headers().get("ETag")).isEqualTo("\"" + Long.toHexString(Instant.parse("2026-11-01T10:00:00Z")
                .toEpochMilli()) + "-e\"");
        assertThat(response.headers().get("Accept-Ranges")).isEqualTo("bytes");
        assertThat(text(response.body())).isEqualTo("console.log(1)");
    }

    @Test
    void aDirectoryIsAnsweredWithItsIndexAndHeadWithNoBody() throws Exception {
        assertThat(text(get("GET", "/docs/").body())).isEqualTo("<h1>docs</h1>");
        ProxyResponse head = get("HEAD", "/app.js");
        assertThat(head.headers().get("Content-Length")).isEqualTo("14");
        assertThat(head.body().length()).isZero();
    }

    @Test
    void aMatchingTagOrDateIsNotModified() throws Exception {
        String etag = get("GET", "/app.js").headers().get("ETag");

        assertThat(get("GET", "/app.js", "If-None-Match", "\"other\", " + etag).status()).isEqualTo(304);
        assertThat(get("GET", "/app.js", "If-None-Match", "W/" + etag).status()).isEqualTo(304);
        assertThat(get("GET", "/app.js", "If-None-Match", "\"other\"", "If-Modified-Since", "Sun, 1 Nov 2026 10:00:00 GMT")
                .status()).as("If-None-Match decides when present").isEqualTo(200);
        assertThat(get("GET", "/app.js", "If-None-Match", "\"other\"").status()).isEqualTo(200);
        assertThat(get("GET", "/app.js", "If-Modified-Since", "Sun, 1 Nov 2026 10:00:00 GMT").status()).isEqualTo(304);
        assertThat(get("GET", "/app.js", "If-Modified-Since", "Sat, 31 Oct 2026 10:00:00 GMT").status()).isEqualTo(200);
        assertThat(get("GET", "/app.js", "If-Modified-Since", "yesterday").status()).isEqualTo(200);
    }

    @Test
    void nothingOutsideTheRootNorHiddenNorMissingIsServed() throws Exception {
        assertThat(get("GET", "/../secret.txt").status()).isEqualTo(404);
        assertThat(get("GET", "/%2e%2e/secret.txt").status()).isEqualTo(404);
        assertThat(get("GET", "/docs/%2E%2E/%2E%2E/secret.txt").status()).isEqualTo(404);
        assertThat(get("GET", "/.env").status()).isEqualTo(404);
        assertThat(get("GET", "/missing.css").status()).isEqualTo(404);
        assertThat(get("GET", "/app.js%00.png").status()).isEqualTo(404);
        assertThat(text(get("GET", "/missing.css").body())).isEqualTo("404 Not Found\n");
    }

    @Test
    void oneByteRangeIsA206AndOnePastTheEndA416() throws Exception {
        ProxyResponse first = get("GET", "/app.js", "Range", "bytes=0-6");
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.headers().get("Content-Range")).isEqualTo("bytes 0-6/14");
        assertThat(first.headers().get("Content-Length")).isEqualTo("7");
        assertThat(text(first.body())).isEqualTo("console");
        assertThat(text(get("GET", "/app.js", "Range", "bytes=8-").body())).isEqualTo("log(1)");
        assertThat(text(get("GET", "/app.js", "Range", "bytes=-3").body())).isEqualTo("(1)");
        assertThat(text(get("GET", "/app.js", "Range", "bytes=10-999").body())).isEqualTo("g(1)");

        ProxyResponse past = get("GET", "/app.js", "Range", "bytes=14-");
        assertThat(past.status()).isEqualTo(416);
        assertThat(past.headers().get("Content-Range")).isEqualTo("bytes */14");
        assertThat(get("GET", "/app.js", "Range", "bytes=-0").status()).isEqualTo(416);
    }

    @Test
    void severalRangesAnotherUnitOrAMalformedRangeGetTheWholeFile() throws Exception {
        for (String range : new String[] {"bytes=0-1,3-4", "lines=1-2", "bytes=5-2", "bytes=x-", "bytes=", "bytes=--1"}) {
            ProxyResponse response = get("GET", "/app.js", "Range", range);
            assertThat(response.status()).as(range).isEqualTo(200);
            assertThat(text(response.body())).as(range).isEqualTo("console.log(1)");
        }
    }

    @Test
    void ifRangeServesThePartOnlyForTheCurrentTagOrDate() throws Exception {
        String etag = get("GET", "/app.js").headers().get("ETag");

        assertThat(get("GET", "/app.js", "Range", "bytes=0-6", "If-Range", etag).status()).isEqualTo(206);
        assertThat(get("GET", "/app.js", "Range", "bytes=0-6", "If-Range", "\"old\"").status()).isEqualTo(200);
        assertThat(get("GET", "/app.js", "Range", "bytes=0-6", "If-Range", "W/" + etag).status())
                .as("a weak tag never matches in If-Range").isEqualTo(200);
        assertThat(get("GET", "/app.js", "Range", "bytes=0-6", "If-Range", "Sun, 1 Nov 2026 10:00:00 GMT").status())
                .isEqualTo(206);
        assertThat(get("GET", "/app.js", "Range", "bytes=0-6", "If-Range", "Sun, 1 Nov 2026 09:00:00 GMT").status())
                .isEqualTo(200);
    }

    @Test
    void headOfARangeHasItsHeadersAndNoBody() throws Exception {
        ProxyResponse head = get("HEAD", "/app.js", "Range", "bytes=0-6");
        assertThat(head.status()).isEqualTo(206);
        assertThat(head.headers().get("Content-Length")).isEqualTo("7");
        assertThat(head.body().length()).isZero();
    }

    @Test
    void aPrecompressedSiblingIsSentToAClientThatAcceptsIt() throws Exception {
        Files.write(root.resolve("app.js.br"), new byte[] {1, 2, 3});
        Files.write(root.resolve("app.js.gz"), new byte[] {4, 5, 6, 7});

        ProxyResponse br = get("GET", "/app.js", "Accept-Encoding", "gzip, br");
        assertThat(br.headers().get("Content-Encoding")).isEqualTo("br");
        assertThat(br.headers().get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(br.headers().get("Content-Length")).isEqualTo("3");
        assertThat(br.headers().get("Vary")).isEqualTo("Accept-Encoding");
        assertThat(br.headers().contains("Accept-Ranges")).isFalse();
        ProxyResponse gz = get("GET", "/app.js", "Accept-Encoding", "gzip, br;q=0");
        assertThat(gz.headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.headers().get("Content-Length")).isEqualTo("4");
        assertThat(gz.headers().get("ETag")).isNotEqualTo(br.headers().get("ETag"));
        ProxyResponse identity = get("GET", "/app.js", "Accept-Encoding", "zstd");
        assertThat(identity.headers().contains("Content-Encoding")).isFalse();
        assertThat(identity.headers().get("Vary")).isEqualTo("Accept-Encoding");
        assertThat(text(identity.body())).isEqualTo("console.log(1)");
        ProxyResponse range = get("GET", "/app.js", "Accept-Encoding", "br", "Range", "bytes=0-6");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.headers().contains("Content-Encoding")).as("a range is of the file itself").isFalse();
        assertThat(get("GET", "/app.js", "Accept-Encoding", "br", "If-None-Match", br.headers().get("ETag")).status())
                .isEqualTo(304);

        StaticFiles without = StaticFiles.builder(root).precompressed(false).build();
        ProxyResponse plain = without.handle(TestContexts.direct(), ProxyRequest.builder().path("/app.js")
                .headers(Headers.of("Accept-Encoding", "br")).build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(plain.headers().contains("Content-Encoding")).isFalse();
        assertThat(plain.headers().contains("Vary")).isFalse();
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirectedAndOneWithoutAnIndexIsNotListed() throws Exception {
        ProxyResponse redirect = get("GET", "/docs");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers().get("Location")).isEqualTo("docs/");
        Files.createDirectory(root.resolve("empty"));
        Files.writeString(root.resolve("empty").resolve("a.txt"), "a");
        assertThat(get("GET", "/empty/").status()).isEqualTo(404);
        assertThat(text(get("GET", "/empty/").body())).doesNotContain("a.txt");
    }

    @Test
    void encodedTraversalBackslashesAndOddEncodingsNeverLeaveTheRoot() throws Exception {
        for (String path : new String[] {"/..%2fsecret.txt", "/..%2Fsecret.txt", "/docs%2f..%2f..%2fsecret.txt",
                "/..\\secret.txt", "/..%5csecret.txt", "/docs%5C..%5C..%5Csecret.txt", "/%252e%252e/secret.txt",
                "/%c0%ae%c0%ae/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt", "/docs/../../secret.txt",
                "/app.js%00", "/%", "/%zz", "/.git/config"}) {
            assertThat(get("GET", path).status()).as(path).isEqualTo(404);
        }
        assertThat(files.resolve("relative.txt")).isNull();
        assertThat(files.resolve("/docs/%2e%2e/app.js")).as("even a way back into the root").isNull();
    }

    @Test
    void aLinkOutOfTheRootIsRefusedUnlessAllowedAndOneInsideIsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("leak.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), dir);
        Files.createSymbolicLink(root.resolve("alias.js"), root.resolve("app.js"));

        assertThat(get("GET", "/leak.txt").status()).isEqualTo(404);
        assertThat(get("GET", "/outside/secret.txt").status()).isEqualTo(404);
        assertThat(text(get("GET", "/alias.js").body())).isEqualTo("console.log(1)");
        StaticFiles following = StaticFiles.builder(root).followSymlinks(true).build();
        ProxyResponse leaked = following.handle(TestContexts.direct(), ProxyRequest.builder().path("/leak.txt").build())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(text(leaked.body())).isEqualTo("outside the root");
    }

    @Test
    void wellKnownIsServedThoughItStartsWithADot() throws Exception {
        Files.createDirectories(root.resolve(".well-known").resolve("acme-challenge"));
        Files.writeString(root.resolve(".well-known").resolve("acme-challenge").resolve("token"), "proof");

        assertThat(text(get("GET", "/.well-known/acme-challenge/token").body())).isEqualTo("proof");
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        ProxyResponse response = get("POST", "/app.js");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().get("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void theRootMustBeADirectory() {
        assertThatThrownBy(() -> StaticFiles.of(dir.resolve("secret.txt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("root: \"" + dir.resolve("secret.txt") + "\" (expected: a directory)");
        assertThatThrownBy(() -> StaticFiles.builder(root).index("../x.html"))
                .hasMessage("index: \"../x.html\" (expected: a file name)");
    }
}
