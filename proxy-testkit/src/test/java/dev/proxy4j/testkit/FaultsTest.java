package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static dev.proxy4j.testkit.TestClient.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultsTest {

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    @BeforeEach
    void answerOkEverywhere() {
        backend.stubFor(any(anyUrl()).willReturn(ok("ok")));
    }

    @Test
    void resetBeforeHeadersMakesTheClientFailWithAnIOException() {
        backend.faults().resetBeforeHeaders();

        assertThatThrownBy(() -> TestClient.get(uri("/a"))).isInstanceOf(IOException.class);
        assertThat(backend.takeRequest().path()).isEqualTo("/a");
    }

    @Test
    void resetBeforeHeadersAppliesEvenWhenNoStubMatches() {
        backend.wireMock().resetMappings();
        backend.faults().resetBeforeHeaders();

        assertThatThrownBy(() -> TestClient.get(uri("/unstubbed"))).isInstanceOf(IOException.class);
    }

    @Test
    void delayBeforeHeadersStillDeliversTheResponse() throws Exception {
        backend.faults().delayBeforeHeaders(Duration.ofMillis(100));

        HttpResponse<String> response = TestClient.get(uri("/a"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void randomDelayStillDeliversTheResponse() throws Exception {
        backend.faults().randomDelay(Duration.ZERO, Duration.ofMillis(50));

        assertThat(TestClient.get(uri("/a")).body()).isEqualTo("ok");
    }

    @Test
    void slowBodySendsTheWholeBodyInManySmallWrites() throws Exception {
        backend.stubFor(get("/slow").willReturn(ok("0123456789abcdefghij")));
        String request = head("GET /slow HTTP/1.1", "Host: localhost", "Connection: close");
        int readsAtFullSpeed = TestClient.readsUntilClosed(backend.uri(), request);

        backend.faults().slowBody(40);

        assertThat(TestClient.readsUntilClosed(backend.uri(), request))
                .isGreaterThan(10)
                .isGreaterThan(readsAtFullSpeed);
        assertThat(TestClient.get(uri("/slow")).body()).isEqualTo("0123456789abcdefghij");
    }

    @Test
    void closeMidBodySendsHeadersThenBreaksTheBody() throws Exception {
        backend.faults().closeMidBody();

        // Read the raw bytes: a parsing client may fail on the broken chunk before it hands over the headers.
        String received = TestClient.raw(backend.uri(), TestClient.head("GET /a HTTP/1.1", "Host: a"));

        assertThat(received).startsWith("HTTP/1.1 200 ").containsIgnoringCase("Transfer-Encoding: chunked");
        assertThat(received).as("the body ends without the last chunk").doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void malformedResponseMakesTheClientFailWithAnIOException() {
        backend.faults().malformedResponse();

        assertThatThrownBy(() -> TestClient.get(uri("/a"))).isInstanceOf(IOException.class);
    }

    @Test
    void failNextAnswersTheStatusThatManyTimesThenResumes() throws Exception {
        backend.faults().failNext(2, 503);

        assertThat(TestClient.get(uri("/a")).statusCode()).isEqualTo(503);
        assertThat(TestClient.get(uri("/b")).statusCode()).isEqualTo(503);
        HttpResponse<String> third = TestClient.get(uri("/a"));
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).isEqualTo("ok");
        assertThat(backend.requestCount()).isEqualTo(3);
    }

    @Test
    void pathFaultsApplyOnlyToTheirPrefix() throws Exception {
        backend.faults("/orders").resetBeforeHeaders();

        assertThatThrownBy(() -> TestClient.get(uri("/orders"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestClient.get(uri("/orders/1"))).isInstanceOf(IOException.class);
        assertThat(TestClient.get(uri("/ordersheet")).statusCode()).isEqualTo(200);
        assertThat(TestClient.get(uri("/users/1")).statusCode()).isEqualTo(200);
    }

    @Test
    void theLongerPrefixFailsFirst() throws Exception {
        backend.faults().failNext(1, 500);
        backend.faults("/orders").failNext(1, 502);

        assertThat(TestClient.get(uri("/orders/1")).statusCode()).isEqualTo(502);
        assertThat(TestClient.get(uri("/orders/1")).statusCode()).isEqualTo(500);
        assertThat(TestClient.get(uri("/orders/1")).statusCode()).isEqualTo(200);
    }

    @Test
    void clearRemovesTheFaultsOfItsScope() throws Exception {
        backend.faults().resetBeforeHeaders().failNext(3, 500);

        backend.faults().clear();

        assertThat(TestClient.get(uri("/a")).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsSettingsThatMakeNoSense() {
        Faults faults = backend.faults();

        assertThatThrownBy(() -> faults.delayBeforeHeaders(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay: PT0S (expected: positive)");
        assertThatThrownBy(() -> faults.randomDelay(Duration.ofMillis(-1), Duration.ofMillis(5)))
                .hasMessage("min: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> faults.randomDelay(Duration.ofMillis(20), Duration.ofMillis(10)))
                .hasMessage("max: PT0.01S (expected: >= PT0.02S)");
        assertThatThrownBy(() -> faults.slowBody(0))
                .hasMessage("bytesPerSecond: 0 (expected: > 0)");
        assertThatThrownBy(() -> faults.failNext(0, 503))
                .hasMessage("count: 0 (expected: > 0)");
        assertThatThrownBy(() -> faults.failNext(1, 200))
                .hasMessage("status: 200 (expected: 400..599)");
    }

    private static URI uri(String path) {
        return backend.uri().resolve(path);
    }
}
