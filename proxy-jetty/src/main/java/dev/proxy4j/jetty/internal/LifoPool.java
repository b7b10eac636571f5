package dev.proxy4j.jetty.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.eclipse.jetty.util.Pool;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Pool} of objects used by one holder at a time (HTTP/1.1 connections) that hands out
 * the one released last: the acquire of the data path takes the top of a stack, where Jetty's
 * {@code ConcurrentPool} scans its entries from the first one, trying each busy one on the way
 * (with 50 connections per loop in the h2c benchmark, its scan was the proxy's most expensive
 * method of its own). Last in, first out keeps what Jetty's first-fit is chosen for: after a
 * spike, the connections at the bottom of the stack stay idle and their idle timeout closes them.
 *
 * <p>Entries behave as Jetty's with a multiplex of one: {@link Entry#release()} returns an entry in
 * use to the stack and is false for any other; {@link Entry#remove()} is true the first time only,
 * whatever the entry's state; {@link #terminate()} gives every entry back and refuses any more.
 * One lock guards it all: a pool belongs to one event loop, so it is rarely contended.
 */
final class LifoPool<P> implements Pool<P> {

    private enum State { RESERVED, IDLE, IN_USE }

    /** Something else that counts the entries with others' (a {@link ConnectionBudget}). */
    interface Gate {
        /** Whether one more entry may be reserved; if so, it is counted until {@link #leave}. */
        boolean enter();

        /** An entry {@link #enter} counted is gone. Called with the pool's lock held: it must not call back. */
        void leave();
    }

    private final int maxSize;
    private final @Nullable Gate gate;
    /** Every entry not removed, in the order reserved. */
    private final List<LifoEntry> entries = new ArrayList<>();
    /** The idle entries; the last is the one released last. */
    private final List<LifoEntry> idle = new ArrayList<>();
    private boolean terminated;

    /** @param maxSize the most entries at once; zero or less: no limit */
    LifoPool(int maxSize) {
        this(maxSize, null);
    }

    /** @param gate asked before each reserve past the pool's own limit; told of each entry gone */
    LifoPool(int maxSize, @Nullable Gate gate) {
        this.maxSize = maxSize;
        this.gate = gate;
    }

    @Override
    public synchronized @Nullable Entry<P> reserve() {
        if (terminated || (maxSize > 0 && entries.size() >= maxSize) || (gate != null && !gate.enter())) {
            return null;
        }
        LifoEntry entry = new LifoEntry();
        entries.add(entry);
        return entry;
    }

    @Override
    public synchronized @Nullable Entry<P> acquire() {
        int last = idle.size() - 1;
        if (terminated || last < 0) {
            return null;
        }
        LifoEntry entry = idle.remove(last);
        entry.state = State.IN_USE;
        return entry;
    }

    @Override
    public synchronized boolean isTerminated() {
        return terminated;
    }

    @Override
    public Collection<Entry<P>> terminate() {
        List<Entry<P>> all;
        synchronized (this) {
            terminated = true;
            all = List.copyOf(entries);
            for (LifoEntry entry : entries) {
                entry.terminated = true;
                if (gate != null && !entry.removed) {
                    gate.leave();
                }
            }
            entries.clear();
            idle.clear();
        }
        return all;
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public int getMaxSize() {
        return maxSize;
    }

    @Override
    public synchronized Stream<Entry<P>> stream() {
        return List.<Entry<P>>copyOf(entries).stream();
    }

    @Override
    public synchronized int getReservedCount() {
        return count(State.RESERVED);
    }

    @Override
    public synchronized int getIdleCount() {
        return idle.size();
    }

    @Override
    public synchronized int getInUseCount() {
        return count(State.IN_USE);
    }

    @Override
    public int getTerminatedCount() {
        // Terminated and removed entries leave the pool at once.
        return 0;
    }

    private int count(State state) {
        int count = 0;
        for (LifoEntry entry : entries) {
            if (entry.state == state) {
                count++;
            }
        }
        return count;
    }

    @Override
    public synchronized String toString() {
        return "LifoPool[size=" + entries.size() + ", idle=" + idle.size() + ", max=" + maxSize
                + (terminated ? ", terminated" : "") + ']';
    }

    private final class LifoEntry implements Entry<P> {
        /** Read and written with the pool's lock held. */
        private State state = State.RESERVED;
        private boolean terminated;
        private boolean removed;
        private @Nullable P pooled;

        @Override
        public boolean enable(P pooled, boolean acquire) {
            Objects.requireNonNull(pooled);
            synchronized (LifoPool.this) {
                if (terminated || removed) {
                    return false;
                }
                if (state != State.RESERVED) {
                    throw new IllegalStateException("entry already enabled: " + this);
                }
                this.pooled = pooled;
                state = acquire ? State.IN_USE : State.IDLE;
                if (!acquire) {
                    idle.add(this);
                }
                return true;
            }
        }

        /** Null until enabled: Jetty asks only an enabled entry for its object. */
        @Override
        public @Nullable P getPooled() {
            synchronized (LifoPool.this) {
                return pooled;
            }
        }

        @Override
        public boolean release() {
            synchronized (LifoPool.this) {
                if (terminated || removed || state != State.IN_USE) {
                    return false;
                }
                state = State.IDLE;
                idle.add(this);
                return true;
            }
        }

        @Override
        public boolean remove() {
            synchronized (LifoPool.this) {
                if (removed) {
                    return false;
                }
                removed = true;
                if (state == State.IDLE) {
                    idle.remove(this);
                }
                if (state == State.IN_USE) {
                    // As Jetty's entry of one: a removed entry is no longer in use.
                    state = State.IDLE;
                }
                if (entries.remove(this) && gate != null) {
                    gate.leave();
                }
                return true;
            }
        }

        @Override
        public boolean isReserved() {
            synchronized (LifoPool.this) {
                return state == State.RESERVED;
            }
        }

        @Override
        public boolean isIdle() {
            synchronized (LifoPool.this) {
                return state == State.IDLE;
            }
        }

        @Override
        public boolean isInUse() {
            synchronized (LifoPool.this) {
                return state == State.IN_USE;
            }
        }

        @Override
        public boolean isTerminated() {
            synchronized (LifoPool.this) {
                return terminated || removed;
            }
        }

        @Override
        public String toString() {
            synchronized (LifoPool.this) {
                return "LifoEntry[" + state + (removed ? ", removed" : "") + (terminated ? ", terminated" : "") + ", "
                        + pooled + ']';
            }
        }
    }
}
