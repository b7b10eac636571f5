package dev.proxy4j.admin;

import dev.proxy4j.config.ProxyConfig;
import java.util.List;

/**
 * A running proxy seen from outside: what the admin endpoint answers and what metrics gauges
 * read. Implemented by the adapter; every method is cheap and safe from any thread (reads of
 * live counters, never a lock on the data path).
 */
public interface ProxyStatus {

    /** The configuration in force. */
    ProxyConfig config();

    /** True once the proxy serves and until it begins to stop. */
    boolean isReady();

    /** True from the moment a stop begins: in-flight requests finish, no new ones are accepted. */
    boolean isDraining();

    /** Requests being handled now. */
    long inFlightRequests();

    /** WebSocket and TCP tunnels (SNI passthrough included) open now, from their first byte to their close. */
    int openTunnels();

    /** The upstreams of the configuration in force, each once, in the order first named. */
    List<UpstreamStatus> upstreams();
}
