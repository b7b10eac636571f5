package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector of a {@link LoopConnector} as the core's {@link EventLoop}: tasks are submitted to
 * the selector and run on its thread between two selects; timers run on the server's scheduler and
 * then hop to the loop.
 */
final class JettyEventLoop implements EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(JettyEventLoop.class);

    private final LoopConnector connector;
    private final int loop;
    private final Scheduler scheduler;

    JettyEventLoop(LoopConnector connector, int loop, Scheduler scheduler) {
        this.connector = connector;
        this.loop = loop;
        this.scheduler = scheduler;
    }

    @Override
    public boolean inEventLoop() {
        return connector.inLoop(loop);
    }

    @Override
    public void execute(Runnable task) {
        connector.execute(loop, () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // A task's failure must not stop the loop; the task's owner had its chance to handle it.
                LOG.error("a task on event loop {} failed", loop, e);
            }
        });
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Scheduler.Task timer = scheduler.schedule(() -> execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return timer::cancel;
    }

    @Override
    public String toString() {
        return "EventLoop[" + loop + ']';
    }
}
