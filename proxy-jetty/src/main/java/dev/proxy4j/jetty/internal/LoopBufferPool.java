package dev.proxy4j.jetty.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's buffer pool with a few buffers kept by each event loop in front of it. A small proxied
 * GET takes four or five buffers from the pool and gives them back on the same loop (the request
 * read, the response head, the backend request head and response read); Jetty's pool, made for
 * any thread, costs about 5% of the loops' CPU there (a scan of shared entries, a compare-and-set
 * on each, statistics). A loop ({@link #adopt}) keeps up to {@value #KEPT} buffers per size and
 * kind in a stack only it touches: a buffer released on its loop goes back to the stack, and the
 * next acquire of that size takes it, with no shared state touched.
 *
 * <p>Each buffer kept comes from Jetty's pool once and stays taken from it while the loop keeps it;
 * one over the loop's {@value #KEPT} goes back to Jetty's pool when released, and one released on
 * another thread comes back to its loop through a queue, taken when the loop next misses. So the
 * buffers a loop keeps are bounded (a few MiB at most, tens of KiB in practice), and Jetty's pool
 * still bounds the rest. Other threads, and sizes over 64 KiB, use Jetty's pool as before.
 */
final class LoopBufferPool implements ByteBufferPool {

    /** The most buffers a loop keeps per size class and kind (direct or heap). */
    static final int KEPT = 16;
    /** Size classes of 4, 8, 16, 32 and 64 KiB (Jetty's pool rounds up to 4 KiB anyway). */
    private static final int MIN_SHIFT = 12;
    private static final int CLASSES = 5;
    private static final int MAX_SIZE = 1 << (MIN_SHIFT + CLASSES - 1);

    private final ByteBufferPool pool;
    private final ThreadLocal<@Nullable Cache> caches = new ThreadLocal<>();
    /** Every loop's cache, for {@link #releaseKept} once its loop stopped. */
    private final java.util.Map<Thread, Cache> byThread = new java.util.concurrent.ConcurrentHashMap<>();

    LoopBufferPool(ByteBufferPool pool) {
        this.pool = pool;
    }

    /** Makes the calling thread, an event loop's, keep buffers of its own; once per thread. */
    void adopt() {
        Cache cache = caches.get();
        if (cache == null || cache.closed) {
            cache = new Cache(Thread.currentThread());
            caches.set(cache);
            byThread.put(cache.owner, cache);
        }
    }

    /**
     * Gives the buffers {@code loop} keeps back to Jetty's pool, once that loop stopped; its later
     * releases go there at once, and its acquires too until it is adopted again.
     */
    void releaseKept(Thread loop) {
        Cache cache = byThread.remove(loop);
        if (cache != null) {
            cache.close();
        }
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
        Cache cache = caches.get();
        if (cache == null || cache.closed || size <= 0 || size > MAX_SIZE) {
            return pool.acquire(size, direct);
        }
        return cache.acquire(classOf(size), direct);
    }

    @Override
    public void clear() {
        pool.clear();
    }

    /** The buffers the calling thread keeps now, of every size and kind (for tests). */
    int keptByThisThread() {
        Cache cache = caches.get();
        return cache == null ? 0 : cache.kept();
    }

    private static int classOf(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(size - 1);
        return Math.max(0, shift - MIN_SHIFT);
    }

    /** One loop's buffers; its stacks are touched by that loop's thread only. */
    private final class Cache {
        private final Thread owner;
        private final LoopBuffer[][] stacks = new LoopBuffer[CLASSES * 2][KEPT];
        private final int[] counts = new int[CLASSES * 2];
        /** Buffers of this loop released on another thread, for the loop to take back. */
        private final ConcurrentLinkedQueue<LoopBuffer> returned = new ConcurrentLinkedQueue<>();
        /** Set once its loop stopped: nothing more is kept. */
        volatile boolean closed;

        Cache(Thread owner) {
            this.owner = owner;
        }

        RetainableByteBuffer.Mutable acquire(int sizeClass, boolean direct) {
            int stack = sizeClass * 2 + (direct ? 1 : 0);
            if (counts[stack] == 0 && !returned.isEmpty()) {
                for (LoopBuffer back; (back = returned.poll()) != null; ) {
                    keep(back);
                }
            }
            int count = counts[stack];
            if (count > 0) {
                LoopBuffer buffer = stacks[stack][--count];
                stacks[stack][count] = null;
                counts[stack] = count;
                buffer.reuse();
                return buffer;
            }
            RetainableByteBuffer taken = pool.acquire(1 << (sizeClass + MIN_SHIFT), direct);
            return new LoopBuffer(this, taken, stack);
        }

        /** {@code buffer} is free: kept when released on this loop and there is room, else back to Jetty's pool. */
        void released(LoopBuffer buffer) {
            if (closed) {
                buffer.taken.release();
            } else if (Thread.currentThread() == owner) {
                keep(buffer);
            } else {
                returned.offer(buffer);
                if (closed && returned.remove(buffer)) {
                    // Closed meanwhile: close() may have drained the queue before this one came.
                    buffer.taken.release();
                }
            }
        }

        /** Its loop has stopped: every buffer kept goes back to Jetty's pool. */
        void close() {
            closed = true;
            for (int stack = 0; stack < stacks.length; stack++) {
                for (int i = 0; i < counts[stack]; i++) {
                    stacks[stack][i].taken.release();
                    stacks[stack][i] = null;
                }
                counts[stack] = 0;
            }
            for (LoopBuffer back; (back = returned.poll()) != null; ) {
                back.taken.release();
            }
        }

        private void keep(LoopBuffer buffer) {
            int stack = buffer.stack;
            int count = counts[stack];
            if (count < KEPT && !closed) {
                stacks[stack][count] = buffer;
                counts[stack] = count + 1;
            } else {
                buffer.taken.release();
            }
        }

        int kept() {
            int kept = 0;
            for (int count : counts) {
                kept += count;
            }
            return kept;
        }
    }

    /**
     * A buffer a loop keeps: the byte buffer of one taken from Jetty's pool, with a reference count
     * of its own (slices and retains count here), whose last release hands it back to its loop.
     */
    private final class LoopBuffer extends RetainableByteBuffer.Pooled {
        private final Cache cache;
        private final RetainableByteBuffer taken;
        private final int stack;
        private final Counter counter;

        LoopBuffer(Cache cache, RetainableByteBuffer taken, int stack) {
            this(cache, taken, stack, new Counter());
        }

        private LoopBuffer(Cache cache, RetainableByteBuffer taken, int stack, Counter counter) {
            super(LoopBufferPool.this, taken.getByteBuffer(), counter);
            this.cache = cache;
            this.taken = taken;
            this.stack = stack;
            this.counter = counter;
            counter.buffer = this;
        }

        /** Taken again from its loop's stack: one reference, empty. */
        void reuse() {
            counter.acquire();
            clear();
        }
    }

    private static final class Counter extends Retainable.ReferenceCounter {
        private @Nullable LoopBuffer buffer;

        @Override
        public boolean release() {
            if (!super.release()) {
                return false;
            }
            LoopBuffer released = buffer;
            if (released != null) {
                released.cache.released(released);
            }
            return true;
        }
    }
}
