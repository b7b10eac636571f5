/**
 * The metrics SPI: a {@link dev.proxy4j.metrics.ProxyMetrics} is fed by the request log and
 * exposes a text scrape for the admin endpoint's {@code /metrics}; the proxy-micrometer module
 * provides one (Micrometer, Prometheus), found by {@link java.util.ServiceLoader} through
 * {@link dev.proxy4j.metrics.ProxyMetricsProvider} when a config file asks for it. The core knows
 * no metrics library.
 */
@NullMarked
package dev.proxy4j.metrics;

import org.jspecify.annotations.NullMarked;
