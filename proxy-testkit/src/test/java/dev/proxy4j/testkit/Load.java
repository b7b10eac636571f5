package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Threads sending requests one after another until stopped, at most 30 s however slow the machine;
 * any answer but 200, and any failure, is kept. For tests that change the proxy under load.
 */
final class Load implements AutoCloseable {

    /** The request a thread sends: its number, and how many it has sent before. */
    @FunctionalInterface
    interface Request {
        ProxyClient.Response send(int thread, int sent);
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads;
    private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

    Load(int threadCount, Request request) {
        threads = IntStream.range(0, threadCount).mapToObj(t -> new Thread(() -> {
            int n = 0;
            while (running.get() && System.nanoTime() < deadline) {
                try {
                    ProxyClient.Response response = request.send(t, n++);
                    if (response.status() != 200) {
                        failures.add(response.status() + " " + response.body());
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
                sent.incrementAndGet();
            }
        }, "load-" + t)).toList();
        threads.forEach(Thread::start);
    }

    int sent() {
        return sent.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits until {@code count} requests have been answered (or the load's deadline passed). */
    void await(int count) throws InterruptedException {
        while (sent.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sent.get()).as("requests answered before the deadline").isGreaterThanOrEqualTo(count);
    }

    void runFor(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
