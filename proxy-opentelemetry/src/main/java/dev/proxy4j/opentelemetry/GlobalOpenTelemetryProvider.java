package dev.proxy4j.opentelemetry;

import dev.proxy4j.trace.ProxyTracing;
import dev.proxy4j.trace.ProxyTracingProvider;

/** {@code tracing: opentelemetry} in a config file: {@link OpenTelemetryTracing#global()}. */
public final class GlobalOpenTelemetryProvider implements ProxyTracingProvider {

    @Override
    public String name() {
        return "opentelemetry";
    }

    @Override
    public ProxyTracing create() {
        return OpenTelemetryTracing.global();
    }
}
