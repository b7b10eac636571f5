/**
 * The tracing SPI: a {@link dev.proxy4j.trace.ProxyTracing} is told when a request starts, when
 * each attempt at a backend starts and ends, and when the request ends, and says which trace
 * context headers the backend gets. The proxy-opentelemetry module provides one (OpenTelemetry
 * spans, W3C trace context); {@link dev.proxy4j.trace.ProxyTracingProvider} finds it by name for a
 * config file's {@code tracing:}. The core knows no tracing library. Off by default: then a
 * request's {@code traceparent} and {@code tracestate} go to the backend as the client sent them.
 */
@NullMarked
package dev.proxy4j.trace;

import org.jspecify.annotations.NullMarked;
