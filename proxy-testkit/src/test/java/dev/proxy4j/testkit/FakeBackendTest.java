package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The backend used by hand, without JUnit's extension model. */
class FakeBackendTest {

    @Test
    void servesWireMockStubsAtItsUri() throws Exception {
        try (FakeBackend orders = FakeBackend.create().start()) {
            orders.stubFor(get("/orders/1").willReturn(okJson("{\"id\":1}")));

            HttpResponse<String> response = TestClient.get(orders.uri().resolve("/orders/1"));

            assertThat(orders.uri()).hasToString("http://127.0.0.1:" + orders.port());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"id\":1}");
        }
    }

    @Test
    void answersWireMocks404WhenNoStubMatches() throws Exception {
        try (FakeBackend orders = FakeBackend.create().start()) {
            orders.stubFor(get("/orders/1").willReturn(ok()));

            assertThat(TestClient.get(orders.uri().resolve("/orders/2")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void respondToEverythingAnswersWhatNoStubMatches() throws Exception {
        try (FakeBackend orders = FakeBackend.create().start()) {
            orders.stubFor(get("/a").willReturn(ok("A")));
            orders.respondToEverything(418, "first");
            orders.respondToEverything(200, "anything");

            HttpResponse<String> stubbed = TestClient.get(orders.uri().resolve("/a"));
            HttpResponse<String> other = TestClient.get(orders.uri().resolve("/b?c=d"));

            assertThat(stubbed.body()).isEqualTo("A");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).isEqualTo("anything");
            assertThat(orders.wireMock().getStubMappings()).hasSize(2);
        }
    }

    @Test
    void restartsOnTheSamePortWithTheSameStubs() throws Exception {
        try (FakeBackend orders = FakeBackend.create().start()) {
            orders.stubFor(get("/a").willReturn(ok("A")));
            int port = orders.port();

            orders.stop();
            assertThat(orders.isRunning()).isFalse();
            assertThatThrownBy(() -> TestClient.get(orders.uri().resolve("/a"))).isInstanceOf(IOException.class);
            orders.start();

            assertThat(orders.port()).isEqualTo(port);
            assertThat(TestClient.get(orders.uri().resolve("/a")).body()).isEqualTo("A");
        }
    }

    @Test
    void appliesTheWireMockOptionsOfTheCustomizer() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        try (FakeBackend orders = FakeBackend.create(options -> options.port(freePort)).start()) {
            assertThat(orders.uri()).hasToString("http://127.0.0.1:" + freePort);
        }
    }

    @Test
    void configuringAFaultOnAStoppedBackendFailsWithItsAddress() {
        FakeBackend orders = FakeBackend.create().start();
        int port = orders.port();
        orders.stop();

        assertThatThrownBy(() -> orders.faults().resetBeforeHeaders())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fake backend http://127.0.0.1:" + port
                        + " is stopped; start it before configuring faults");
        assertThatThrownBy(() -> orders.faults("/orders").failNext(1, 503))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fake backend http://127.0.0.1:" + port
                        + " is stopped; start it before configuring faults");
    }

    @Test
    void configuringAFaultOnABackendNeverStartedFails() {
        FakeBackend orders = FakeBackend.create();

        assertThatThrownBy(() -> orders.faults().delayBeforeHeaders(java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fake backend (never started) is stopped; start it before configuring faults");
    }

    @Test
    void uriOfABackendNeverStartedStartsIt() {
        try (FakeBackend orders = FakeBackend.create()) {
            assertThat(orders.uri().toString()).startsWith("http://127.0.0.1:");
            assertThat(orders.isRunning()).isTrue();
        }
    }

    @Test
    void rejectsPathsThatDoNotStartWithASlash() {
        FakeBackend orders = FakeBackend.create();

        assertThatThrownBy(() -> orders.faults("orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pathPrefix: orders (expected: starts with \"/\")");
        assertThatThrownBy(() -> orders.healthPath("health"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("healthPath: health (expected: starts with \"/\")");
    }

    @Test
    void rejectsACatchAllStatusThatIsNotHttp() {
        FakeBackend orders = FakeBackend.create();

        assertThatThrownBy(() -> orders.respondToEverything(600, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: 600 (expected: 100..599)");
    }
}
