package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ConnectionLimits;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The open connections of each peer address, over every listener of one server, against
 * {@link ConnectionLimits#maxConnectionsPerIp()} (read at each accept, so a reconfigure applies to
 * the next connection). An address is held only while it has a connection open: the map is no
 * larger than the number of open connections.
 */
final class ConnectionCounts {

    private final Supplier<ConnectionLimits> limits;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionCounts(Supplier<ConnectionLimits> limits) {
        this.limits = limits;
    }

    ConnectionLimits limits() {
        return limits.get();
    }

    /** Counts a connection of {@code address}, unless it already holds the most it may: then false, nothing counted. */
    boolean tryAcquire(InetAddress address) {
        int max = limits.get().maxConnectionsPerIp();
        boolean[] admitted = {false};
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (max != ConnectionLimits.UNLIMITED && count >= max) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0];
    }

    void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections of {@code address} now. */
    int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Addresses with a connection open. */
    int addresses() {
        return open.size();
    }
}
