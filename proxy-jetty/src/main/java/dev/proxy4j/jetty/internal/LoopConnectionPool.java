package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;

/**
 * The connection pool of an HTTP/1.1 upstream's destination, one per endpoint and event loop:
 * Jetty's pool of connections carrying one exchange at a time, over a {@link LifoPool}, so that
 * the connection a request gets is the one released last, found without a scan.
 */
final class LoopConnectionPool extends AbstractConnectionPool {

    LoopConnectionPool(Destination destination, int maxConnections) {
        super(destination, () -> new LifoPool<>(maxConnections), 1);
    }
}
