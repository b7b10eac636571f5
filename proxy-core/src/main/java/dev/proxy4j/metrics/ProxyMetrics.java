package dev.proxy4j.metrics;

import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.log.RequestLogListener;

/**
 * Metrics of a proxy: fed one {@link dev.proxy4j.log.RequestLog} per finished exchange (like any
 * request-log listener, on the request's event loop, so it must not block nor lock), bound once to
 * the running proxy's {@link ProxyStatus} for its gauges, and scraped as text by the admin
 * endpoint's {@code GET /metrics}, on the admin listener's own threads.
 *
 * <p>Fixed at start: a running proxy keeps the metrics it started with across {@code reconfigure},
 * so that counters are not reset by a reload.
 */
public interface ProxyMetrics extends RequestLogListener {

    /** Called once, when the proxy starts, before any request. */
    default void bind(ProxyStatus status) {
    }

    /**
     * A connection to a backend was opened ({@code connected}) or failed to open, {@code nanos} after
     * its TCP connect began (TLS not included): {@code upstream} by name, {@code endpoint} as
     * {@code host:port} (the port left out when it is the scheme's default). Called on the event loop
     * that opened it, so it must not block nor lock. A kept-alive connection's later requests make no call.
     */
    default void onBackendConnect(String upstream, String endpoint, long nanos, boolean connected) {
    }

    /** The media type of {@link #scrape()}, e.g. Prometheus's {@code text/plain; version=0.0.4; charset=utf-8}. */
    String contentType();

    /** Every metric now, as text. May take a while on a large registry; never called on an event loop. */
    String scrape();
}
