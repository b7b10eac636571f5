/**
 * The proxy's metrics on Micrometer: {@link dev.proxy4j.micrometer.MicrometerMetrics}, fed by the
 * request log, with a Prometheus scrape for the admin endpoint. Names follow Micrometer's
 * {@code http.server.requests} / {@code http.client.requests} conventions (docs/operations.md).
 */
@NullMarked
package dev.proxy4j.micrometer;

import org.jspecify.annotations.NullMarked;
