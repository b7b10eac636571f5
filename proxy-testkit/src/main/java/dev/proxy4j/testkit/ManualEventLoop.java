package dev.proxy4j.testkit;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;

/**
 * An event loop for unit tests of filters and policies: tasks wait until the test runs them, and
 * timers fire when the test moves a {@link ManualClock} past them. Nothing runs on another thread,
 * nothing sleeps. {@link #inEventLoop()} is true while the test runs the loop's tasks (and while a
 * test says it is the loop, with {@link #enter()}), as on a real loop.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * ManualEventLoop loop = new ManualEventLoop(clock);
 * RequestContext ctx = loop.context();
 * CompletionStage<ProxyResponse> response = filter.filter(ctx, request, next);
 * clock.advance(Duration.ofSeconds(1));
 * loop.runDue();
 * }</pre>
 *
 * Not thread-safe: drive it from the test's thread.
 */
public final class ManualEventLoop implements EventLoop {

    private final ManualClock clock;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private int depth;

    public ManualEventLoop(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A request context on this loop, whose blocking executor runs tasks at once, with the clock as ticker and clock. */
    public RequestContext context() {
        return RequestContext.builder().requestId("test").eventLoop(this).blockingExecutor(Runnable::run)
                .ticker(clock).clock(clock).build();
    }

    @Override
    public boolean inEventLoop() {
        return depth > 0;
    }

    /** From now on the test's thread is this loop's, until {@link #exit()}: as if a request had arrived on it. */
    public ManualEventLoop enter() {
        depth++;
        return this;
    }

    public ManualEventLoop exit() {
        if (depth == 0) {
            throw new IllegalStateException("exit() without enter()");
        }
        depth--;
        return this;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Timer timer = new Timer(clock.nanos() + delay.toNanos(), Objects.requireNonNull(task, "task"));
        timers.add(timer);
        return () -> timers.remove(timer);
    }

    /** Tasks waiting to run, timers that are due not counted. */
    public int pendingTasks() {
        return tasks.size();
    }

    /** Timers not yet fired nor cancelled. */
    public int pendingTimers() {
        return timers.size();
    }

    /**
     * Runs every task, those the tasks add included, and every timer due by the clock, in the order
     * they became due; returns how many ran.
     */
    public int runDue() {
        int ran = 0;
        depth++;
        try {
            for (;;) {
                Runnable next = tasks.poll();
                if (next == null) {
                    Timer due = timers.stream().filter(t -> t.dueNanos <= clock.nanos())
                            .min(Comparator.comparingLong(Timer::dueNanos)).orElse(null);
                    if (due == null) {
                        return ran;
                    }
                    timers.remove(due);
                    next = due.task;
                }
                next.run();
                ran++;
            }
        } finally {
            depth--;
        }
    }

    private record Timer(long dueNanos, Runnable task) {
    }

    @Override
    public String toString() {
        return "ManualEventLoop[" + tasks.size() + " tasks, " + timers.size() + " timers]";
    }
}
