package dev.proxy4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.testkit.FakeBackend;
import dev.proxy4j.testkit.ProxyClient;
import dev.proxy4j.testkit.ProxyExtension;
import dev.proxy4j.testkit.RecordedRequest;
import dev.proxy4j.upstream.RetryPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real proxy with OpenTelemetry's SDK and an in-memory exporter: the trace context a client
 * sends comes out to the backend with the same trace id, the span tree is SERVER -> CLIENT per
 * attempt, with the HTTP semantic conventions' attributes, over HTTP/1.1 and HTTP/2.
 */
class TracingEndToEndTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
    static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0([01])");

    static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    static final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @RegisterExtension
    static final FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    static final FakeBackend h2backend = FakeBackend.create(options -> options.http2PlainDisabled(false));

    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.of(b -> b
            .tracing(OpenTelemetryTracing.of(otel))
            .route(r -> r.name("api").pathPrefix("/api").upstream(u -> u.name("api").endpoint(backend.uri().toString())))
            .route(r -> r.name("h2").pathPrefix("/h2").upstream(u -> u.name("h2").endpoint(h2backend.uri().toString())
                    .protocol(dev.proxy4j.upstream.UpstreamProtocol.HTTP_2)))
            .route(r -> r.name("dead").pathPrefix("/dead").upstream(u -> u.name("dead").endpoint("http://127.0.0.1:1"))));

    @BeforeEach
    void reset() {
        spans.reset();
        backend.respondToEverything(200, "hello");
        h2backend.respondToEverything(200, "hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
    void aTraceparentInIsATraceparentOutWithTheSameTraceId(String protocol) {
        ProxyClient client = client(protocol);
        ProxyClient.Response response = client.get("/api/orders/1", "traceparent",
                "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01", "tracestate", "vendor=opaque");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = backend.takeRequest();
        Matcher out = TRACEPARENT.matcher(received.header("traceparent"));
        assertThat(out.matches()).as(received.header("traceparent")).isTrue();
        assertThat(out.group(1)).isEqualTo(TRACE_ID);
        assertThat(out.group(2)).as("the backend's parent is the proxy's span, not the client's")
                .isNotEqualTo(CLIENT_SPAN_ID);
        assertThat(out.group(3)).isEqualTo("1");
        assertThat(received.header("tracestate")).isEqualTo("vendor=opaque");

        List<SpanData> done = awaitSpans(2);
        SpanData server = only(done, SpanKind.SERVER);
        SpanData attempt = only(done, SpanKind.CLIENT);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(attempt.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(out.group(2)).as("the backend's parent is the attempt's span").isEqualTo(attempt.getSpanId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
    void theServerSpanHasTheHttpSemanticConventionsAttributes(String protocol) {
        ProxyClient.Response response = client(protocol).get("/api/orders/1?x=1", "User-Agent", "curl/8.5");

        assertThat(response.status()).isEqualTo(200);
        SpanData server = only(awaitSpans(2), SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("GET /api/*");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(server.getParentSpanContext().isValid()).as("a new trace without a traceparent").isFalse();
        assertThat(attr(server, "http.request.method")).isEqualTo("GET");
        assertThat(attr(server, "url.scheme")).isEqualTo("http");
        assertThat(attr(server, "url.path")).isEqualTo("/api/orders/1");
        assertThat(attr(server, "http.route")).isEqualTo("/api/*");
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
        assertThat(attr(server, "server.address")).isEqualTo("127.0.0.1");
        assertThat(server.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(proxy.port());
        assertThat(attr(server, "client.address")).isEqualTo("127.0.0.1");
        assertThat(attr(server, "network.protocol.version")).isEqualTo(protocol.equals("HTTP/2") ? "2" : "1.1");
        assertThat(attr(server, "user_agent.original")).isEqualTo("curl/8.5");
        assertThat(attr(server, "error.type")).isNull();
        assertThat(attr(server, "proxy4j.request.id")).isEqualTo(response.header("X-Request-Id")).isNotEmpty();
        assertThat(attr(server, "proxy4j.route")).isEqualTo("api");
        assertThat(attr(server, "proxy4j.upstream")).isEqualTo("api");
    }

    @Test
    void theAttemptIsAClientSpanNamingItsEndpoint() {
        ProxyClient.Response response = proxy.client().post("/api/orders", "{}");

        assertThat(response.status()).isEqualTo(200);
        SpanData attempt = only(awaitSpans(2), SpanKind.CLIENT);
        assertThat(attempt.getName()).isEqualTo("POST");
        assertThat(attr(attempt, "http.request.method")).isEqualTo("POST");
        assertThat(attr(attempt, "server.address")).isEqualTo("127.0.0.1");
        assertThat(attempt.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(backend.port());
        assertThat(attr(attempt, "url.full")).isEqualTo("http://127.0.0.1:" + backend.port() + "/api/orders");
        assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
        assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.request.resend_count"))).isNull();
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
    void anHttp2UpstreamGetsTheAttemptsTraceparent(String protocol) {
        ProxyClient.Response response = client(protocol).get("/h2/x", "traceparent",
                "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest received = h2backend.takeRequest();
        assertThat(received.protocol()).isEqualTo("HTTP/2.0");
        SpanData attempt = only(awaitSpans(2), SpanKind.CLIENT);
        assertThat(received.header("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
    void aFailedBackendGivesErrorSpansOnePerAttempt(String protocol) {
        ProxyClient.Response response = client(protocol).get("/dead/x");

        assertThat(response.status()).isEqualTo(502);
        int attempts = RetryPolicy.defaults().maxAttempts();
        List<SpanData> done = awaitSpans(1 + attempts);
        SpanData server = only(done, SpanKind.SERVER);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(server, "error.type")).isEqualTo("connect_refused");
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(502);
        List<SpanData> clients = done.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
        assertThat(clients).hasSize(attempts).allSatisfy(attempt -> {
            assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attr(attempt, "error.type")).isEqualTo("connect_refused");
            assertThat(attr(attempt, "server.address")).isEqualTo("127.0.0.1");
            assertThat(attempt.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(1);
        });
        assertThat(clients.stream().map(s -> s.getAttributes().get(AttributeKey.longKey("http.request.resend_count"))))
                .containsExactlyInAnyOrder(null, 1L, 2L);
    }

    @Test
    void aBackendsServerErrorIsAnErrorOnBothSpans() {
        backend.respondToEverything(500, "broken");

        ProxyClient.Response response = proxy.client().post("/api/orders", "{}");

        assertThat(response.status()).isEqualTo(500);
        List<SpanData> done = awaitSpans(2);
        SpanData server = only(done, SpanKind.SERVER);
        SpanData attempt = only(done, SpanKind.CLIENT);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(server, "error.type")).isEqualTo("500");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(attempt, "error.type")).isEqualTo("500");
    }

    @Test
    void aRequestNoRouteTookIsASpanWithoutRoute() {
        assertThat(proxy.client().get("/nowhere").status()).isEqualTo(404);

        SpanData server = only(awaitSpans(1), SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("GET");
        assertThat(attr(server, "http.route")).isNull();
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    private static ProxyClient client(String protocol) {
        return protocol.equals("HTTP/2") ? proxy.http2Client() : proxy.client();
    }

    private static String attr(SpanData span, String name) {
        return span.getAttributes().get(AttributeKey.stringKey(name));
    }

    private static SpanData only(List<SpanData> done, SpanKind kind) {
        List<SpanData> of = done.stream().filter(s -> s.getKind() == kind).toList();
        assertThat(of).as(kind + " spans in " + done).hasSize(1);
        return of.get(0);
    }

    /** The spans once {@code count} have ended: the SERVER span ends with the exchange, after the client has its answer. */
    private static List<SpanData> awaitSpans(int count) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<SpanData> done = spans.getFinishedSpanItems();
        assertThat(done).hasSize(count);
        return done;
    }
}
