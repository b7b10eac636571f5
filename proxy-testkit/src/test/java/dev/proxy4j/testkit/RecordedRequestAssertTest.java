package dev.proxy4j.testkit;

import static dev.proxy4j.testkit.ProxyAssertions.assertThat;
import static dev.proxy4j.testkit.TestClient.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Imports both {@code assertThat}s statically on purpose: they must not be ambiguous. */
class RecordedRequestAssertTest {

    private static final String HEADERS = "\n  Host: localhost"
            + "\n  X-Trace: t1"
            + "\n  Via: 1.1 a"
            + "\n  Via: 1.1 b"
            + "\n  Content-Length: 2"
            + "\n  Connection: close";

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    private RecordedRequest request;

    @BeforeEach
    void receiveOneRequest() {
        TestClient.raw(backend.uri(), head(
                "POST /orders?a=1 HTTP/1.1",
                "Host: localhost",
                "X-Trace: t1",
                "Via: 1.1 a",
                "Via: 1.1 b",
                "Content-Length: 2",
                "Connection: close") + "hi");
        request = backend.takeRequest();
    }

    @Test
    void passesWhenTheRequestMatches() {
        assertThat(request)
                .hasMethod("POST")
                .hasPath("/orders")
                .hasQuery("a=1")
                .hasBody("hi")
                .hasHeader("x-trace", "t1")
                .hasHeader("VIA", "1.1 b")
                .hasHeader("X-Trace")
                .hasHeaderCount("via", 2)
                .hasHeaderCount("Cookie", 0)
                .doesNotHaveHeader("Cookie");
    }

    @Test
    void assertJsOwnAssertThatGivesTheSameAssertThroughAssertProvider() {
        RecordedRequestAssert viaAssertJ = Assertions.assertThat(request);
        RecordedRequestAssert viaTestkit = ProxyAssertions.assertThat(request);

        viaAssertJ.hasPath("/orders");
        viaTestkit.hasPath("/orders");
        assertThatThrownBy(() -> Assertions.assertThat(request).hasPath("/other"))
                .hasMessage("Expecting POST /orders?a=1 to have path \"/other\", but its path was \"/orders\"");
    }

    @Test
    void hasHeaderWithValueFailureListsTheHeaders() {
        assertThatThrownBy(() -> assertThat(request).hasHeader("X-Trace", "t2"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting POST /orders?a=1 to have header \"X-Trace: t2\", but its headers were:" + HEADERS);
    }

    @Test
    void hasHeaderFailureListsTheHeaders() {
        assertThatThrownBy(() -> assertThat(request).hasHeader("X-Request-Id"))
                .hasMessage("Expecting POST /orders?a=1 to have a header named \"X-Request-Id\", but its headers were:"
                        + HEADERS);
    }

    @Test
    void doesNotHaveHeaderFailureListsTheHeaders() {
        assertThatThrownBy(() -> assertThat(request).doesNotHaveHeader("x-trace"))
                .hasMessage("Expecting POST /orders?a=1 not to have a header named \"x-trace\", but its headers were:"
                        + HEADERS);
    }

    @Test
    void hasHeaderCountFailureSaysTheCountAndListsTheHeaders() {
        assertThatThrownBy(() -> assertThat(request).hasHeaderCount("Via", 1))
                .hasMessage("Expecting POST /orders?a=1 to have 1 \"Via\" field(s), but it had 2; its headers were:"
                        + HEADERS);
    }

    @Test
    void hasMethodFailureSaysTheActualMethod() {
        assertThatThrownBy(() -> assertThat(request).hasMethod("GET"))
                .hasMessage("Expecting POST /orders?a=1 to have method \"GET\", but its method was \"POST\"");
    }

    @Test
    void hasQueryFailureSaysTheActualQuery() {
        assertThatThrownBy(() -> assertThat(request).hasQuery("a=2"))
                .hasMessage("Expecting POST /orders?a=1 to have query \"a=2\", but its query was \"a=1\"");
    }

    @Test
    void hasBodyFailureSaysTheActualBody() {
        assertThatThrownBy(() -> assertThat(request).hasBody("hello"))
                .hasMessage("Expecting POST /orders?a=1 to have body \"hello\", but its body was \"hi\"");
    }

    @Test
    void aDescriptionPrefixesTheMessage() {
        assertThatThrownBy(() -> assertThat(request).as("upstream request").hasMethod("GET"))
                .hasMessage("[upstream request] Expecting POST /orders?a=1 to have method \"GET\", but its method was \"POST\"");
    }
}
