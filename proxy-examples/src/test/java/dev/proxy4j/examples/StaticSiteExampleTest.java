package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link StaticSiteExample} shows, as a browser would see it. */
class StaticSiteExampleTest {

    @TempDir
    Path dir;
    private Path site;
    private Server api;
    private ProxyServer proxy;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        site = StaticSiteExample.demoSite(dir);
        api = Quickstart.demoBackend("api");
        proxy = StaticSiteExample.start(0, site, Quickstart.uri(api));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        api.stop();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri().resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theStylesheetIsCompressedForABrowserAndWholeForACurlWithoutFlags() throws Exception {
        HttpResponse<byte[]> gzipped = get("/site.css", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> plain = get("/site.css");

        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes())
                .isEqualTo(Files.readAllBytes(site.resolve("site.css")));
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(Files.readAllBytes(site.resolve("site.css")));
    }

    @Test
    void theScriptsBrotliSiblingGoesToAClientThatAcceptsBrotli() throws Exception {
        HttpResponse<byte[]> response = get("/app.js", "Accept-Encoding", "gzip, deflate, br, zstd");

        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(response.body()).isEqualTo(Files.readAllBytes(site.resolve("app.js.br")));
        assertThat(new String(new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(Files.readString(site.resolve("app.js")));
    }

    @Test
    void theIndexRangesAndTheApiWork() throws Exception {
        assertThat(new String(get("/").body(), StandardCharsets.UTF_8)).contains("<h1>proxy4j</h1>");
        HttpResponse<byte[]> range = get("/site.css", "Range", "bytes=0-1");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("h1");
        assertThat(new String(get("/api/users").body(), StandardCharsets.UTF_8)).startsWith("api got GET /api/users");
    }

    @Test
    void downloadsAreNeverCompressedThoughTheyAreText() throws Exception {
        HttpResponse<byte[]> download = get("/downloads/export.csv", "Accept-Encoding", "gzip");

        assertThat(download.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(download.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(download.headers().firstValue("Content-Length")).hasValue(Long.toString(Files.size(site.resolve("downloads/export.csv"))));
    }
}
