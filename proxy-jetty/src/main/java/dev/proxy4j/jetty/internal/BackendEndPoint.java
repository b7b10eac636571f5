package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A plain TCP connection to a backend that can skip the read Jetty's HTTP/1.1 client makes right
 * after a complete response. That read finds nothing (a backend sends nothing before the next
 * request, but a close), and costs a read(2) per request: once told
 * ({@link #responseComplete()}), the next fill returns 0 at once, its caller registers fill
 * interest, and the selector says when there are bytes or an end of stream. A non-blocking fill may
 * always give 0, so a skipped read never loses data.
 */
final class BackendEndPoint extends SocketChannelEndPoint {

    /** Set by {@link #responseComplete}; cleared by the fill it skips, fill interest, and a selection. */
    private boolean assumeEmpty;

    BackendEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /** The response on this connection is complete: its next fill finds nothing without asking the kernel. */
    void responseComplete() {
        assumeEmpty = true;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (assumeEmpty) {
            assumeEmpty = false;
            return 0;
        }
        return super.fill(buffer);
    }

    @Override
    protected void needsFillInterest() {
        assumeEmpty = false;
        super.needsFillInterest();
    }

    @Override
    public Runnable onSelected() {
        assumeEmpty = false;
        return super.onSelected();
    }
}
