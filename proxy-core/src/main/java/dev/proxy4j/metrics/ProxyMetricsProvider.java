package dev.proxy4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes {@link ProxyMetrics} by name, for config files ({@code metrics: prometheus}); found with
 * {@link ServiceLoader}, so that a module on the class path (proxy-micrometer) adds its own.
 */
public interface ProxyMetricsProvider {

    /** The name a config file uses, e.g. {@code prometheus}. */
    String name();

    /** New metrics, with a registry of their own. */
    ProxyMetrics create();

    /**
     * New metrics from the provider named {@code name} on the class path.
     *
     * @throws IllegalArgumentException naming the providers found when none has that name
     */
    static ProxyMetrics create(String name) {
        List<String> names = new ArrayList<>();
        for (ProxyMetricsProvider provider : ServiceLoader.load(ProxyMetricsProvider.class)) {
            if (provider.name().equals(name)) {
                return provider.create();
            }
            names.add(provider.name());
        }
        throw new IllegalArgumentException("metrics: " + name + " (expected: "
                + (names.isEmpty() ? "proxy-micrometer on the class path for prometheus" : "one of " + String.join(", ", names))
                + ")");
    }
}
