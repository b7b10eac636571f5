package dev.proxy4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.file.ConfigFile;
import dev.proxy4j.trace.ProxyTracing;
import org.junit.jupiter.api.Test;

/** {@code tracing: opentelemetry} finds this module's provider on the class path: the global OpenTelemetry. */
class TracingConfigTest {

    @Test
    void tracingOpentelemetryInAConfigFileIsTheGlobalOpenTelemetry() {
        ProxyTracing tracing = ConfigFile.parse("""
                listeners:
                  - port: 8080
                routes:
                  - upstream: http://127.0.0.1:9000
                tracing: opentelemetry
                """).tracing();

        assertThat(tracing).isInstanceOf(OpenTelemetryTracing.class);
        assertThat(tracing.enabled()).isTrue();
        assertThat(tracing).hasToString("opentelemetry (global)");
    }
}
