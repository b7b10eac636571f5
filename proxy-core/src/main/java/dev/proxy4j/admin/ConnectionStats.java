package dev.proxy4j.admin;

/**
 * An upstream's pooled backend connections: {@code active} (carrying a request), {@code idle}
 * (open, waiting for one) and {@code pending} (requests queued for a connection).
 */
public record ConnectionStats(int active, int idle, int pending) {

    public static final ConnectionStats NONE = new ConnectionStats(0, 0, 0);

    public ConnectionStats {
        if (active < 0 || idle < 0 || pending < 0) {
            throw new IllegalArgumentException("connections: " + active + "/" + idle + "/" + pending
                    + " (expected: counts >= 0)");
        }
    }

    public ConnectionStats plus(ConnectionStats other) {
        return new ConnectionStats(active + other.active, idle + other.idle, pending + other.pending);
    }
}
