package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracingExampleTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = TracingExample.openTelemetry(spans);
    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("app");
        proxy = TracingExample.start(0, Quickstart.uri(backend), sdk);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
        sdk.close();
    }

    @Test
    void aRequestIsAServerSpanWithTheBackendCallAsItsChildInTheClientsTrace() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/hello"))
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).startsWith("app got GET /hello");

        List<SpanData> done = List.of();
        for (int i = 0; i < 500 && done.size() < 2; i++) {
            // The SERVER span ends with the exchange, a moment after the client has its answer; batches are flushed here.
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            done = spans.getFinishedSpanItems();
            if (done.size() < 2) {
                Thread.sleep(20);
            }
        }
        assertThat(done).hasSize(2).allSatisfy(span ->
                assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        SpanData server = done.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        SpanData call = done.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertThat(server.getName()).isEqualTo("GET /*");
        assertThat(call.getParentSpanId()).isEqualTo(server.getSpanId());
    }
}
