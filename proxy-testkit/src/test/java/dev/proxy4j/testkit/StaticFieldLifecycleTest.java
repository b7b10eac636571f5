package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backend in a static field: one server per class, reset before each test. Tests run in order. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StaticFieldLifecycleTest {

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    private static int firstPort;

    @Order(1)
    @Test
    void leavesStubsRequestsFaultsAndHealthBehind() throws Exception {
        backend.stubFor(get("/a").willReturn(ok("A")));
        TestClient.get(backend.uri().resolve("/a"));
        backend.faults().failNext(5, 503);
        backend.faults("/b").resetBeforeHeaders();
        backend.healthy(false);
        firstPort = backend.port();

        assertThat(backend.requestCount()).isEqualTo(1);
    }

    @Order(2)
    @Test
    void findsTheSameServerResetBeforeTheNextTest() throws Exception {
        assertThat(backend.port()).isEqualTo(firstPort);
        assertThat(backend.requestCount()).isZero();
        assertThat(backend.wireMock().getStubMappings()).isEmpty();
        assertThat(TestClient.get(backend.uri().resolve("/a")).statusCode()).isEqualTo(404);
        assertThat(TestClient.get(backend.uri().resolve("/b")).statusCode()).isEqualTo(404);
        assertThat(TestClient.get(backend.uri().resolve("/health")).body()).isEqualTo("UP");
    }

    @Order(3)
    @Test
    void mayStopTheServerToSimulateAnOutage() {
        backend.stop();

        assertThat(backend.isRunning()).isFalse();
    }

    @Order(4)
    @Test
    void findsItRunningAgainOnTheSamePort() {
        assertThat(backend.isRunning()).isTrue();
        assertThat(backend.port()).isEqualTo(firstPort);
    }
}
