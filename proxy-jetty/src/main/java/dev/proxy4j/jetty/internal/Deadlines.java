package dev.proxy4j.jetty.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timeouts that are started and stopped far more often than they expire, such as the wait for a
 * backend's response headers, one per request: one set per event loop. Started timeouts of one
 * length are kept in a list in the order they were started, which is the order they expire in,
 * and each list has one scheduler task at most, at its earliest deadline. Starting or stopping a
 * timeout is a few field writes under a lock that mostly only its loop takes; nothing is
 * allocated and nothing is scheduled per timeout (a scheduler task per request cost a heap insert
 * and removal under the scheduler's lock, shared by every loop). Stopping the earliest timeout does
 * not cancel its list's task: that finds a later deadline when it runs, and is scheduled again for
 * it; a list left empty is dropped.
 */
final class Deadlines {

    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

    private final Later later;
    private final LongSupplier nanoTime;
    /** By the timeout's length in nanoseconds; guarded by {@code this}. */
    private final Map<Long, Line> lines = new HashMap<>();
    /** The line last started on: requests of one route start timeouts of one length (no boxing, no hashing). */
    private @Nullable Line lastLine;

    Deadlines(Scheduler scheduler) {
        this((task, nanos) -> scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS), System::nanoTime);
    }

    /**
     * {@code later} runs a check after a delay (the scheduler's), {@code nanoTime} is the clock
     * deadlines are measured on ({@link System#nanoTime}); others in tests.
     */
    Deadlines(Later later, LongSupplier nanoTime) {
        this.later = later;
        this.nanoTime = nanoTime;
    }

    /** Runs a task after a delay, on a thread of its own. */
    @FunctionalInterface
    interface Later {
        void schedule(Runnable task, long delayNanos);
    }

    /** A timeout: started once, stopped once; {@link #expired} runs when it was started and not stopped in time. */
    abstract static class Timeout {
        private @Nullable Timeout previous;
        private @Nullable Timeout next;
        private @Nullable Line line;
        private long deadline;
        private boolean stopped;

        /** Runs on a scheduler thread, outside any lock, at most once. */
        protected abstract void expired();
    }

    /**
     * Starts {@code timeout}, to expire {@code after} from now unless stopped first; does nothing when
     * it is started already or was stopped (a stop may come first: a response before the request's end).
     */
    void start(Timeout timeout, Duration after) {
        long nanos = after.toNanos();
        synchronized (this) {
            if (timeout.stopped || timeout.line != null) {
                return;
            }
            // Read under the lock: timeouts of one length are appended in deadline order.
            long now = nanoTime.getAsLong();
            Line line = lastLine;
            if (line == null || line.nanos != nanos) {
                line = lines.get(nanos);
                if (line == null) {
                    line = new Line(nanos);
                    lines.put(nanos, line);
                }
                lastLine = line;
            }
            timeout.line = line;
            timeout.deadline = now + nanos;
            timeout.previous = line.tail;
            if (line.tail == null) {
                line.head = timeout;
            } else {
                line.tail.next = timeout;
            }
            line.tail = timeout;
            if (!line.scheduled) {
                line.scheduled = true;
                schedule(line, nanos);
            }
        }
    }

    /** Stops {@code timeout}: it will not expire, and cannot be started after this. */
    void stop(Timeout timeout) {
        synchronized (this) {
            timeout.stopped = true;
            Line line = timeout.line;
            if (line != null) {
                unlink(line, timeout);
            }
        }
    }

    /** Timeouts started and not yet stopped or expired, for tests. */
    synchronized int pending() {
        int pending = 0;
        for (Line line : lines.values()) {
            for (Timeout t = line.head; t != null; t = t.next) {
                pending++;
            }
        }
        return pending;
    }

    private void schedule(Line line, long delayNanos) {
        try {
            later.schedule(() -> check(line), Math.max(0, delayNanos));
        } catch (RuntimeException refused) {
            // The scheduler is stopping: so is the proxy, and every exchange with it.
            line.scheduled = false;
            LOG.debug("could not schedule a timeout check", refused);
        }
    }

    /** Expires what is due in {@code line}, and schedules the next check for its new head, if any. */
    private void check(Line line) {
        List<Timeout> due = null;
        long now = nanoTime.getAsLong();
        synchronized (this) {
            Timeout head = line.head;
            while (head != null && head.deadline - now <= 0) {
                unlink(line, head);
                head.stopped = true;
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(head);
                head = line.head;
            }
            if (head == null) {
                line.scheduled = false;
                lines.remove(line.nanos);
                if (lastLine == line) {
                    lastLine = null;
                }
            } else {
                schedule(line, head.deadline - now);
            }
        }
        if (due != null) {
            for (Timeout timeout : due) {
                try {
                    timeout.expired();
                } catch (RuntimeException e) {
                    LOG.warn("a timeout's expiry failed", e);
                }
            }
        }
    }

    private static void unlink(Line line, Timeout timeout) {
        Timeout previous = timeout.previous;
        Timeout next = timeout.next;
        if (previous == null) {
            line.head = next;
        } else {
            previous.next = next;
        }
        if (next == null) {
            line.tail = previous;
        } else {
            next.previous = previous;
        }
        timeout.previous = null;
        timeout.next = null;
        timeout.line = null;
    }

    /** The started timeouts of one length, earliest deadline first. */
    private static final class Line {
        private final long nanos;
        private @Nullable Timeout head;
        private @Nullable Timeout tail;
        /** Whether a check is scheduled (it reschedules itself while the line is not empty). */
        private boolean scheduled;

        Line(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public String toString() {
            return "Line[" + nanos + "ns]";
        }
    }
}
