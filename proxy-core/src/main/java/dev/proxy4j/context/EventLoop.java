package dev.proxy4j.context;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The thread a request belongs to. Tasks given to it run on that thread, one after another, in the
 * order given; they must never block, since every connection of the loop waits while one runs.
 *
 * <p>A filter that starts asynchronous work (a call to another service, a timer) gets its result on
 * some other thread; the filter chain brings the rest of the request back to the loop by itself.
 * Use the loop directly to touch per-request state from a callback.
 */
public interface EventLoop extends Executor {

    /** True when the calling thread is this loop's. */
    boolean inEventLoop();

    /** Runs {@code task} on this loop after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off; true when it had not run and now never will. */
        boolean cancel();
    }
}
