package dev.proxy4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.route.Route;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SemConvTest {

    @Test
    void methodsOutsideTheStandardOnesAreOther() {
        assertThat(SemConv.method("GET")).isEqualTo("GET");
        assertThat(SemConv.method("PATCH")).isEqualTo("PATCH");
        assertThat(SemConv.method("BREW")).isEqualTo("_OTHER");
        assertThat(SemConv.method("get")).isEqualTo("_OTHER");
    }

    @Test
    void protocolVersionsAreTheConventionsSpelling() {
        assertThat(SemConv.protocolVersion("HTTP/1.1")).isEqualTo("1.1");
        assertThat(SemConv.protocolVersion("HTTP/1.0")).isEqualTo("1.0");
        assertThat(SemConv.protocolVersion("HTTP/2.0")).isEqualTo("2");
        assertThat(SemConv.protocolVersion("HTTP/3.0")).isEqualTo("3");
    }

    @Test
    void serverAddressAndPortComeFromTheAuthorityWithTheSchemesDefaultPort() {
        assertThat(address("api.example.com:8443", "https")).isEqualTo("api.example.com:8443");
        assertThat(address("api.example.com", "https")).isEqualTo("api.example.com:443");
        assertThat(address("api.example.com", "http")).isEqualTo("api.example.com:80");
        assertThat(address("[::1]:9000", "http")).isEqualTo("::1:9000");
        assertThat(address("[::1]", "http")).isEqualTo("::1:80");
    }

    @Test
    void theRouteIsItsPathPredicateLowCardinality() {
        assertThat(ServerSpan.template(route(r -> r.pathPrefix("/api")))).isEqualTo("/api/*");
        assertThat(ServerSpan.template(route(r -> r.pathPrefix("/")))).isEqualTo("/*");
        assertThat(ServerSpan.template(route(r -> r.path("/health")))).isEqualTo("/health");
        assertThat(ServerSpan.template(route(r -> r.pathTemplate("/users/{id}")))).isEqualTo("/users/{id}");
        assertThat(ServerSpan.template(route(r -> r.host("api.example.com")))).isNull();
    }

    private static Route route(Consumer<Route.Builder> configurer) {
        Route.Builder builder = Route.builder().upstream("http://127.0.0.1:9000");
        configurer.accept(builder);
        return builder.build();
    }

    private static String address(String authority, String scheme) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracers = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
            var builder = tracers.get("test").spanBuilder("x");
            SemConv.serverAddress(builder, authority, scheme);
            Span span = builder.startSpan();
            span.end();
            SpanData data = spans.getFinishedSpanItems().get(0);
            return data.getAttributes().get(AttributeKey.stringKey("server.address")) + ":"
                    + data.getAttributes().get(AttributeKey.longKey("server.port"));
        }
    }
}
