package dev.proxy4j.micrometer;

import dev.proxy4j.metrics.ProxyMetrics;
import dev.proxy4j.metrics.ProxyMetricsProvider;

/** {@code metrics: prometheus} in a config file: {@link MicrometerMetrics#prometheus()}. */
public final class PrometheusMetricsProvider implements ProxyMetricsProvider {

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public ProxyMetrics create() {
        return MicrometerMetrics.prometheus();
    }
}
