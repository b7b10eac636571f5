package dev.proxy4j.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes {@link ProxyTracing} by name, for config files ({@code tracing: opentelemetry}); found with
 * {@link ServiceLoader}, so that a module on the class path (proxy-opentelemetry) adds its own.
 */
public interface ProxyTracingProvider {

    /** The name a config file uses, e.g. {@code opentelemetry}. */
    String name();

    /** The tracing, e.g. on the process's global OpenTelemetry. */
    ProxyTracing create();

    /**
     * The tracing of the provider named {@code name} on the class path.
     *
     * @throws IllegalArgumentException naming the providers found when none has that name
     */
    static ProxyTracing create(String name) {
        List<String> names = new ArrayList<>();
        for (ProxyTracingProvider provider : ServiceLoader.load(ProxyTracingProvider.class)) {
            if (provider.name().equals(name)) {
                return provider.create();
            }
            names.add(provider.name());
        }
        throw new IllegalArgumentException("tracing: " + name + " (expected: "
                + (names.isEmpty() ? "proxy-opentelemetry on the class path for opentelemetry"
                        : "one of " + String.join(", ", names))
                + ")");
    }
}
