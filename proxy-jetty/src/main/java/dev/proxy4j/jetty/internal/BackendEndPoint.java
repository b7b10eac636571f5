package dev.proxy4j.jetty.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A plain TCP connection to a backend that skips the read Jetty's HTTP/1.1 client makes right
 * after a complete response. That read finds nothing (a backend sends nothing before the next
 * request, but a close), and cost a read(2) per request: once told ({@link #responseComplete()}),
 * the next fill returns 0 at once, its caller registers fill interest, and the selector says when
 * there are bytes or an end of stream ({@link QuietEndPoint}).
 */
final class BackendEndPoint extends QuietEndPoint {

    BackendEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /** The response on this connection is complete: its next fill finds nothing without asking the kernel. */
    void responseComplete() {
        assumeEmpty();
    }
}
