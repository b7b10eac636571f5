package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeBackendGroupTest {

    @RegisterExtension
    static final FakeBackendGroup replicas = FakeBackendGroup.of(3);

    @Test
    void startsEveryBackendOnItsOwnPort() {
        assertThat(replicas.size()).isEqualTo(3);
        assertThat(replicas.uris()).doesNotHaveDuplicates().hasSize(3)
                .allSatisfy(uri -> assertThat(uri.toString()).startsWith("http://127.0.0.1:"));
        assertThat(replicas.get(1).uri()).isEqualTo(replicas.uris().get(1));
        assertThat(replicas.backends()).allMatch(FakeBackend::isRunning);
    }

    @Test
    void stubForAllStubsEveryBackend() throws Exception {
        replicas.stubForAll(get("/who").willReturn(ok("replica")));

        for (URI uri : replicas.uris()) {
            assertThat(TestClient.get(uri.resolve("/who")).body()).isEqualTo("replica");
        }
    }

    @Test
    void hitCountsCountEachBackendsRequestsButNotHealthChecks() throws Exception {
        replicas.stubForAll(get("/").willReturn(ok()));

        TestClient.get(replicas.get(0).uri().resolve("/"));
        TestClient.get(replicas.get(2).uri().resolve("/"));
        TestClient.get(replicas.get(2).uri().resolve("/"));
        TestClient.get(replicas.get(1).uri().resolve("/health"));

        assertThat(replicas.hitCounts()).containsExactly(1, 0, 2);
    }

    @Test
    void resetAllForgetsStubsAndRequests() throws Exception {
        replicas.stubForAll(get("/").willReturn(ok()));
        TestClient.get(replicas.get(0).uri().resolve("/"));

        replicas.resetAll();

        assertThat(replicas.hitCounts()).containsExactly(0, 0, 0);
        assertThat(TestClient.get(replicas.get(0).uri().resolve("/")).statusCode()).isEqualTo(404);
    }

    @Test
    void rejectsAnEmptyGroup() {
        assertThatThrownBy(() -> FakeBackendGroup.of(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size: 0 (expected: > 0)");
    }
}
