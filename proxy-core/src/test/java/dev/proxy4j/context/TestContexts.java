package dev.proxy4j.context;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Request contexts for core's own tests. */
public final class TestContexts {

    private TestContexts() {
    }

    /** A loop that is whatever thread calls it: tasks run at once; nothing can be scheduled. */
    public static final EventLoop DIRECT = new EventLoop() {
        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException("the direct test loop has no timer");
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    /** A context on {@link #DIRECT} whose blocking executor also runs tasks at once. */
    public static RequestContext direct() {
        return RequestContext.builder().requestId("test").eventLoop(DIRECT).blockingExecutor(Runnable::run).build();
    }

    /** A loop on one thread of {@code single}, which must be a single-thread executor. */
    public static EventLoop on(ScheduledExecutorService single) {
        Thread[] thread = new Thread[1];
        try {
            single.submit(() -> thread[0] = Thread.currentThread()).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new EventLoop() {
            @Override
            public boolean inEventLoop() {
                return Thread.currentThread() == thread[0];
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                var future = single.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public void execute(Runnable command) {
                single.execute(command);
            }
        };
    }

    public static RequestContext on(EventLoop loop, Executor blocking) {
        return RequestContext.builder().requestId("test").eventLoop(loop).blockingExecutor(blocking).build();
    }
}
