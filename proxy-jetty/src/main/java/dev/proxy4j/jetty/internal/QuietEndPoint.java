package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A TCP endpoint whose fills can be told to find nothing without asking the kernel, when a read
 * would be known to find nothing: set by the subclass ({@link #assumeEmpty()}), cleared when fill
 * interest is registered and when the selector finds the connection ready. A non-blocking fill
 * may always give 0: the caller then registers fill interest, and the selector says when there
 * are bytes (or an end of stream), so a skipped read never loses data. Touched by the thread
 * filling, one at a time, and the loop's selector.
 */
abstract class QuietEndPoint extends SocketChannelEndPoint {

    private boolean assumeEmpty;

    QuietEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /** Fills find nothing, without a read(2), until fill interest is registered or the selector reports the connection. */
    final void assumeEmpty() {
        assumeEmpty = true;
    }

    /** Called with what a real fill read (0: nothing there, -1: end of stream). */
    void filled(int filled) {
    }

    @Override
    public final int fill(ByteBuffer buffer) throws IOException {
        if (assumeEmpty) {
            return 0;
        }
        int filled = super.fill(buffer);
        filled(filled);
        return filled;
    }

    @Override
    protected final void needsFillInterest() {
        assumeEmpty = false;
        super.needsFillInterest();
    }

    @Override
    public final Runnable onSelected() {
        assumeEmpty = false;
        return super.onSelected();
    }
}
