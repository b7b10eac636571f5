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
        assertThat(response.headers().get("Last-Modified")).isEqualTo("Sun, 1 Nov 2026 10:00:00 GMT");
        assertThat(response.headers().get("ETag")).startsWith("W/\"e-");
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
    }
}
