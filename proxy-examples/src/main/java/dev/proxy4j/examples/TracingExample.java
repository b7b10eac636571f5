package dev.proxy4j.examples;

import dev.proxy4j.opentelemetry.OpenTelemetryTracing;
import dev.proxy4j.server.ProxyServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.eclipse.jetty.server.Server;

/**
 * The proxy's own spans on OpenTelemetry (proxy-opentelemetry): one SERVER span per request, a
 * CLIENT span per attempt at the backend, and the attempt's {@code traceparent} sent to it. This
 * SDK prints each span (its logging exporter); a real one would export OTLP to a collector.
 * Try {@code curl -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' localhost:8080/hello}:
 * two spans are printed, both in trace {@code 4bf92f35...}. See docs/operations.md#tracing.
 */
public final class TracingExample {

    private TracingExample() {
    }

    /** An SDK that exports in batches (never on the proxy's event loops) to {@code exporter}. */
    static OpenTelemetrySdk openTelemetry(SpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    static ProxyServer start(int port, String backend, OpenTelemetry openTelemetry) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .tracing(OpenTelemetryTracing.of(openTelemetry))
                .route(r -> r.name("app").pathPrefix("/").upstream(u -> u.name("app").endpoint(backend)))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        Server backend = Quickstart.demoBackend("app");
        try (OpenTelemetrySdk sdk = openTelemetry(LoggingSpanExporter.create())) {
            ProxyServer proxy = start(8080, Quickstart.uri(backend), sdk);
            proxy.stopOnShutdown().awaitStop();
        }
        Quickstart.stopQuietly(backend);
    }
}
