package dev.proxy4j.jetty.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's open tunnels (WebSocket, TCP, SNI passthrough), from their first byte to their
 * close: counted for the status page and metrics, and closed all at once when the server stops
 * (an HTTP/2 stream carrying one would otherwise hold Jetty's graceful stop for its whole timeout).
 */
final class OpenTunnels {

    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();

    int count() {
        return open.size();
    }

    void opened(Tunnel tunnel) {
        open.add(tunnel);
    }

    void closed(Tunnel tunnel) {
        open.remove(tunnel);
    }

    /** Closes every open tunnel (both of its connections); returns how many there were. */
    int closeAll() {
        int closed = 0;
        for (Tunnel tunnel : open) {
            tunnel.close();
            closed++;
        }
        return closed;
    }
}
