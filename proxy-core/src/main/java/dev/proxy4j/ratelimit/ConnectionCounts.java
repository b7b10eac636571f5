package dev.proxy4j.ratelimit;

import dev.proxy4j.config.ConnectionLimits;
import java.util.Objects;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The open connections of each peer address, over every listener of one server, against
 * {@link ConnectionLimits#maxConnectionsPerIp()} (read at each accept, so a reconfigure applies to
 * the next connection). An address is held only while it has a connection open: the map is no
 * larger than the number of open connections. The adapter counts each accepted connection here and
 * releases it exactly once when it closes, whatever closed it.
 */
public final class ConnectionCounts {

    private final Supplier<ConnectionLimits> limits;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    public ConnectionCounts(Supplier<ConnectionLimits> limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ConnectionLimits limits() {
        return limits.get();
    }

    /** Counts a connection of {@code address}, unless it already holds the most it may: then false, nothing counted. */
    public boolean tryAcquire(InetAddress address) {
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

    public void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections of {@code address} now. */
    public int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Addresses with a connection open. */
    public int addresses() {
        return open.size();
    }
}
