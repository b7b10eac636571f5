/**
 * The proxy's own spans on OpenTelemetry: {@link dev.proxy4j.opentelemetry.OpenTelemetryTracing}
 * makes one SERVER span per request and one CLIENT span per attempt at a backend, with the HTTP
 * semantic conventions' attributes, and sends each attempt's W3C trace context to its backend
 * (docs/operations.md#tracing).
 */
@NullMarked
package dev.proxy4j.opentelemetry;

import org.jspecify.annotations.NullMarked;
