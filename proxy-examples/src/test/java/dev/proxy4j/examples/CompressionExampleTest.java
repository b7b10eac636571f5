package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link CompressionExample} shows: one backend request, answers compressed per client, a 304 for a compressed tag. */
class CompressionExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = CompressionExample.backend();
        proxy = CompressionExample.start(0, Quickstart.uri(backend));
        CompressionExample.BACKEND_REQUESTS.set(0);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.uri() + "/items"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void oneBackendRequestServesEveryEncodingAndACompressedTagIsA304FromTheCache() throws Exception {
        HttpResponse<byte[]> gzip = get("Accept-Encoding", "gzip");
        HttpResponse<byte[]> zstd = get("Accept-Encoding", "gzip, br, zstd");
        HttpResponse<byte[]> identity = get();
        HttpResponse<byte[]> notModified = get("Accept-Encoding", "gzip", "If-None-Match", "\"items-1--gzip\"");

        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzip.body().length).isLessThan(CompressionExample.BODY.length() / 3);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CompressionExample.BODY);
        }
        assertThat(zstd.headers().firstValue("Content-Encoding")).hasValue("zstd");
        assertThat(zstd.headers().firstValue("Cache-Status").orElseThrow()).startsWith("proxy4j; hit");
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo(CompressionExample.BODY);
        assertThat(identity.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue("\"items-1--gzip\"");
        assertThat(CompressionExample.BACKEND_REQUESTS.get()).isEqualTo(1);
    }
}
