package dev.proxy4j.config;

/**
 * How many connections clients may hold open, counted when a connection is accepted (nginx's
 * {@code limit_conn}, HAProxy's {@code maxconn}). A connection over a limit is closed at once,
 * before any byte is read: no TLS handshake, no request parsed, nothing answered. Every kind of
 * close (by either side, a reset, an idle timeout) gives its place back. The counts see the
 * socket's peer address: behind a load balancer, use the balancer's limits.
 *
 * @param maxConnectionsPerIp open connections one peer address may hold, over every listener of
 *     the server (HTTP, TLS and TCP); {@value #UNLIMITED} for no limit (the default)
 * @param maxConnectionsPerListener open connections one listener accepts in all; {@value #UNLIMITED}
 *     for no limit (the default)
 */
public record ConnectionLimits(int maxConnectionsPerIp, int maxConnectionsPerListener) {

    /** No limit. */
    public static final int UNLIMITED = 0;

    public static final ConnectionLimits NONE = new ConnectionLimits(UNLIMITED, UNLIMITED);

    public ConnectionLimits {
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerIp: " + maxConnectionsPerIp + " (expected: > 0, or 0 for no limit)");
        }
        if (maxConnectionsPerListener < 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerListener: " + maxConnectionsPerListener + " (expected: > 0, or 0 for no limit)");
        }
    }

    public ConnectionLimits withMaxConnectionsPerIp(int n) {
        return new ConnectionLimits(n, maxConnectionsPerListener);
    }

    public ConnectionLimits withMaxConnectionsPerListener(int n) {
        return new ConnectionLimits(maxConnectionsPerIp, n);
    }
}
