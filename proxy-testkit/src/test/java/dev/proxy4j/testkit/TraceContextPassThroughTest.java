package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without a tracer, W3C trace context is the client's business: {@code traceparent} and
 * {@code tracestate} reach the backend exactly as they were sent, over HTTP/1.1 and HTTP/2.
 */
class TraceContextPassThroughTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.of(b -> b.route(r -> r.pathPrefix("/").upstream(backend.uri().toString())));

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void traceContextHeadersReachTheBackendUnchanged(Protocol protocol) {
        backend.respondToEverything(200, "ok");

        ProxyClient.Response response = protocol.client(proxy).get("/orders/1", "traceparent", TRACEPARENT,
                "tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = backend.takeRequest();
        assertThat(received.headerValues("traceparent")).containsExactly(TRACEPARENT);
        assertThat(received.headerValues("tracestate")).containsExactly("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void noTraceContextIsMadeUpWhenTheClientSentNone(Protocol protocol) {
        backend.respondToEverything(200, "ok");

        assertThat(protocol.client(proxy).get("/orders/2").status()).isEqualTo(200);

        RecordedRequest received = backend.takeRequest();
        assertThat(received.header("traceparent")).isNull();
        assertThat(received.header("tracestate")).isNull();
    }
}
