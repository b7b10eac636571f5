package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthTest {

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    @Test
    void healthPathAnswersUpOrDownAsFlipped() throws Exception {
        HttpResponse<String> up = TestClient.get(uri("/health"));
        backend.healthy(false);
        HttpResponse<String> down = TestClient.get(uri("/health"));
        backend.healthy(true);
        HttpResponse<String> upAgain = TestClient.get(uri("/health"));

        assertThat(backend.healthPath()).isEqualTo("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("UP");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("DOWN");
        assertThat(upAgain.statusCode()).isEqualTo(200);
    }

    @Test
    void healthChecksAreKeptApartFromOtherRequests() throws Exception {
        TestClient.get(uri("/health"));
        TestClient.get(uri("/orders"));
        TestClient.get(uri("/health?probe=2"));

        assertThat(backend.takeRequest().path()).isEqualTo("/orders");
        assertThat(backend.requestCount()).isEqualTo(1);
        assertThat(backend.receivedRequests()).extracting(RecordedRequest::path).containsExactly("/orders");
        assertThat(backend.receivedHealthChecks()).extracting(RecordedRequest::toString)
                .containsExactly("GET /health", "GET /health?probe=2");
    }

    @Test
    void takeRequestFailureMentionsTheHealthChecksItSkipped() throws Exception {
        TestClient.get(uri("/health"));

        assertThatThrownBy(() -> backend.takeRequest(Duration.ofMillis(200)))
                .hasMessage("expected a request at fake backend http://127.0.0.1:" + backend.port()
                        + " within PT0.2S, but none arrived (0 received so far; 1 health check(s) on /health not counted)");
    }

    @Test
    void healthPathWinsOverStubs() throws Exception {
        backend.stubFor(get("/health").willReturn(ok("from a stub")));

        assertThat(TestClient.get(uri("/health")).body()).isEqualTo("UP");
    }

    @Test
    void faultsSpareTheHealthPath() throws Exception {
        backend.faults().resetBeforeHeaders().failNext(1, 500);

        assertThat(TestClient.get(uri("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void healthPathCanMove() throws Exception {
        try (FakeBackend other = FakeBackend.create().healthPath("/ready").start()) {
            other.healthy(false);

            assertThat(TestClient.get(other.uri().resolve("/ready")).body()).isEqualTo("DOWN");
            assertThat(TestClient.get(other.uri().resolve("/health")).statusCode()).isEqualTo(404);
            assertThat(other.takeRequest().path()).isEqualTo("/health");
        }
    }

    private static URI uri(String path) {
        return backend.uri().resolve(path);
    }
}
