package dev.proxy4j.testkit;

import static dev.proxy4j.testkit.TestClient.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Header;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordingTest {

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    @Test
    void recordsHeaderFieldsInArrivalOrderWithRepeatsAndTheirCase() {
        TestClient.raw(backend.uri(), head(
                "GET /a HTTP/1.1",
                "Host: localhost",
                "X-One: 1",
                "x-two: 2",
                "x-one: 3",
                "X-ONE: 4",
                "Connection: close"));

        assertThat(backend.takeRequest().headers()).containsExactly(
                new Header("Host", "localhost"),
                new Header("X-One", "1"),
                new Header("x-two", "2"),
                new Header("x-one", "3"),
                new Header("X-ONE", "4"),
                new Header("Connection", "close"));
    }

    @Test
    void recordsTheNamesOfHeadersJettyKnowsInJettysCase() {
        TestClient.raw(backend.uri(), head(
                "GET /a HTTP/1.1", "host: localhost", "accept: */*", "x-custom: 1", "connection: close"));

        assertThat(backend.takeRequest().headers()).extracting(Header::name)
                .containsExactly("Host", "Accept", "x-custom", "Connection");
    }

    @Test
    void recordsMethodPathRawQueryBodyPeerAndProtocol() throws Exception {
        TestClient.send(HttpRequest.newBuilder(backend.uri().resolve("/orders/1?q=a%20b&q=c"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}"))
                .build());

        RecordedRequest request = backend.takeRequest();

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/orders/1");
        assertThat(request.query()).isEqualTo("q=a%20b&q=c");
        assertThat(request.bodyAsString()).isEqualTo("{\"qty\":2}");
        assertThat(request.peer().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(request.peer().getPort()).isPositive().isNotEqualTo(backend.port());
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
        assertThat(request).hasToString("POST /orders/1?q=a%20b&q=c");
    }

    @Test
    void assertJsAssertThatAloneGivesTheRecordedRequestAssert() throws Exception {
        TestClient.get(backend.uri().resolve("/orders/7"));

        // Only AssertJ's assertThat is imported here: the AssertProvider overload must win.
        RecordedRequestAssert requestAssert = assertThat(backend.takeRequest());

        requestAssert.hasMethod("GET").hasPath("/orders/7");
    }

    @Test
    void recordsNoQueryAsNull() throws Exception {
        TestClient.get(backend.uri().resolve("/orders"));

        assertThat(backend.takeRequest().query()).isNull();
    }

    @Test
    void peerIsTheConnectionsAddressEvenWhenXForwardedForSaysOtherwise() {
        TestClient.raw(backend.uri(), head(
                "GET /a HTTP/1.1", "Host: localhost", "X-Forwarded-For: 203.0.113.9", "Connection: close"));

        assertThat(backend.takeRequest().peer().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void takesRequestsInArrivalOrder() throws Exception {
        for (String path : new String[] {"/1", "/2", "/3"}) {
            TestClient.get(backend.uri().resolve(path));
        }

        assertThat(backend.requestCount()).isEqualTo(3);
        assertThat(backend.receivedRequests()).extracting(RecordedRequest::path).containsExactly("/1", "/2", "/3");
        assertThat(backend.takeRequest().path()).isEqualTo("/1");
        assertThat(backend.takeRequest().path()).isEqualTo("/2");
        RecordedRequest third = backend.takeRequest();
        assertThat(third.path()).isEqualTo("/3");
        assertThat(third.sequenceNumber()).isEqualTo(2);
        assertThat(backend.requestCount()).isEqualTo(3);
    }

    @Test
    void takeRequestWaitsForARequestStillOnItsWay() {
        CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(100);
                return TestClient.get(backend.uri().resolve("/late"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(backend.takeRequest().path()).isEqualTo("/late");
        assertThat(response.join().statusCode()).isEqualTo(404);
    }

    @Test
    void takeRequestFailsSayingWhatItExpectedWhenNoneArrives() {
        assertThatThrownBy(() -> backend.takeRequest(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected a request at fake backend http://127.0.0.1:" + backend.port()
                        + " within PT0.2S, but none arrived (0 received so far)");
    }

    @Test
    void takeRequestFailureListsTheRequestsAlreadyTaken() throws Exception {
        TestClient.get(backend.uri().resolve("/a"));
        TestClient.send(HttpRequest.newBuilder(backend.uri().resolve("/b?x=1"))
                .DELETE()
                .build());
        backend.takeRequest();
        backend.takeRequest();

        assertThatThrownBy(() -> backend.takeRequest(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected a request at fake backend http://127.0.0.1:" + backend.port()
                        + " within PT0.2S, but none arrived (2 received so far, all taken already: GET /a, DELETE /b?x=1)");
    }
}
