package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.FillInterest;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A TCP endpoint whose fills can be told to find nothing without asking the kernel, when a read
 * would be known to find nothing: set by the subclass ({@link #assumeEmpty()}), cleared when fill
 * interest is registered and when the selector finds the connection ready. A non-blocking fill
 * may always give 0: the caller then registers fill interest, and the selector says when there
 * are bytes (or an end of stream), so a skipped read never loses data. Touched by the thread
 * filling, one at a time, and the loop's selector.
 *
 * <p>It also keeps its <b>read registration</b> across the selection that wakes a waiting reader
 * ({@link #onSelected()}). Jetty removes the read interest of every connection it finds readable
 * and adds it back when the reader next waits: with epoll, two {@code epoll_ctl} calls per request
 * on a keep-alive connection whose reader waits again (about 1.5 per small GET over HTTP/1.1 in
 * all). nginx keeps its connections registered (edge-triggered) and makes none.
 */
abstract class QuietEndPoint extends SocketChannelEndPoint {

    private boolean assumeEmpty;
    private SelectionKey key;

    QuietEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
        this.key = key;
    }

    /** Fills find nothing, without a read(2), until fill interest is registered or the selector reports the connection. */
    final void assumeEmpty() {
        assumeEmpty = true;
    }

    /** True while fills find nothing without a read(2) ({@link #assumeEmpty()}). */
    final boolean assumesEmpty() {
        return assumeEmpty;
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

    /**
     * Reports the connection's readiness as Jetty does, but leaves it registered for reading when
     * the selection found only bytes to read and a reader waiting for them whose callback runs on
     * this loop (not a blocking one, which would go to the pool): the reader is about to take the
     * bytes, and most readers wait again right after (a keep-alive connection between requests, a
     * backend connection between responses), so removing the interest now only to add it back
     * costs two system calls. A reader that does not wait again (a request handled while its
     * connection holds still) leaves the registration in place; should bytes arrive then, the
     * selection that reports them finds nobody waiting and removes it the usual way: one extra
     * wake-up, no spinning on bytes nobody takes, and nothing lost, since the next reader to wait
     * adds it back.
     */
    @Override
    public final Runnable onSelected() {
        assumeEmpty = false;
        FillInterest reader = getFillInterest();
        boolean keepReading = key.readyOps() == SelectionKey.OP_READ && reader.isInterested()
                && reader.getCallbackInvocationType() != Invocable.InvocationType.BLOCKING;
        Runnable task = super.onSelected();
        if (keepReading) {
            // Within a selection Jetty only records the wanted interest; the loop applies it after
            // the selection, so this undoes the removal before it reaches the kernel.
            super.needsFillInterest();
        }
        return task;
    }

    /** Jetty gives the endpoint another key when the channel is registered anew. */
    @Override
    public final void replaceKey(SelectionKey newKey) {
        super.replaceKey(newKey);
        key = newKey;
    }
}
