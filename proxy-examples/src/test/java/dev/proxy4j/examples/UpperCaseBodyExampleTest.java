package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.server.ProxyServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body-transforming filter of {@link UpperCaseBodyExample}, through a real proxy to a real backend. */
class UpperCaseBodyExampleTest {

    private static final int LIMIT = 4096;

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = UpperCaseBodyExample.textBackend();
        proxy = UpperCaseBodyExample.start(0, Quickstart.uri(backend), LIMIT);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void upperCasesATextResponseAndKeepsItsContentLength() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/doc?bytes=100");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(100));
        assertThat(response.headers().firstValue("Content-Length")).hasValue("100");
    }

    @Test
    void upperCasesAResponseOfExactlyTheLimit() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/doc?bytes=" + LIMIT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(LIMIT));
    }

    @Test
    void upperCasesAChunkedResponsePieceByPiece() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/stream?pieces=8");    // 8 x 512 = the limit

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.body()).isEqualTo(expected(8 * 512));
    }

    @Test
    void answers502WhenTheDeclaredLengthIsOverTheLimit() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/doc?bytes=" + (LIMIT + 1));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).doesNotContain("the quick").doesNotContain("THE QUICK");
    }

    @Test
    void cutsAChunkedResponseOffOnceItGoesOverTheLimit() {
        assertThatThrownBy(() -> Http.get(proxy.uri(), "/stream?pieces=9"))            // 4608 bytes
                .isInstanceOf(IOException.class);
    }

    @Test
    void keepsServingAfterCuttingAResponseOff() throws Exception {
        assertThatThrownBy(() -> Http.get(proxy.uri(), "/stream?pieces=20")).isInstanceOf(IOException.class);

        assertThat(Http.get(proxy.uri(), "/doc?bytes=10").body()).isEqualTo(expected(10));
    }

    @Test
    void passesOtherContentTypesThroughUntouched() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/logo.png");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("png bytes");
    }

    private static String expected(int bytes) {
        return new String(UpperCaseBodyExample.text(bytes), java.nio.charset.StandardCharsets.US_ASCII)
                .toUpperCase(Locale.ROOT);
    }
}
