package dev.proxy4j.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a body's chunks as they are ready, then demands: the loop under {@link Bodies#aggregate}
 * and {@link Bodies#peek}. A demand callback that comes while a pass runs (at once, on the same
 * thread) only asks for one more pass, so a source that calls back at once does not grow the stack.
 */
abstract class ReadLoop implements Runnable {

    final Body source;
    private final AtomicInteger passes = new AtomicInteger();
    /** Set once the reader wants no more chunks; read by the loop only. */
    boolean done;

    ReadLoop(Body source) {
        this.source = source;
    }

    @Override
    public final void run() {
        if (passes.getAndIncrement() != 0) {
            return;
        }
        do {
            readAvailable();
        } while (passes.decrementAndGet() != 0);
    }

    private void readAvailable() {
        while (!done) {
            Chunk chunk;
            try {
                chunk = source.read();
            } catch (RuntimeException e) {
                done = true;
                readFailed(e);
                return;
            }
            if (chunk == null) {
                source.demand(this);
                return;
            }
            take(chunk);
        }
    }

    /** The next chunk, now the reader's to release or to hold; sets {@link #done} when it wants no more. */
    abstract void take(Chunk chunk);

    /** The source threw on read; {@link #done} is already set. */
    abstract void readFailed(RuntimeException failure);
}
