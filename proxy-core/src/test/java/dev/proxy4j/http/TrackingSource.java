package dev.proxy4j.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scripted body whose every chunk counts its releases: a second release throws at once, and
 * {@link #assertNoLeaks()} fails for a chunk never released. A {@link Builder#pause() pause} makes
 * {@code read()} give null until a demand callback, which comes later on the {@link #DEMAND_THREAD}.
 */
final class TrackingSource implements Body {
    static final String DEMAND_THREAD = "tracking-source-demand";
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, DEMAND_THREAD);
        thread.setDaemon(true);
        return thread;
    });

    private sealed interface Step {
    }

    private record Data(byte[] bytes, boolean last, @Nullable Headers trailers) implements Step {
    }

    private record Pause() implements Step {
    }

    private record Failure(Throwable failure) implements Step {
    }

    private final Deque<Step> steps;
    private final long length;
    private final List<Tracked> handedOut = new CopyOnWriteArrayList<>();
    private final List<String> misuses = new CopyOnWriteArrayList<>();
    private @Nullable Chunk terminal;
    private boolean paused;
    private volatile @Nullable Throwable failedWith;
    private final AtomicInteger demands = new AtomicInteger();
    private final AtomicInteger nullReads = new AtomicInteger();

    private TrackingSource(List<Step> steps, long length) {
        this.steps = new ArrayDeque<>(steps);
        this.length = length;
    }

    static Builder builder() {
        return new Builder();
    }

    /** A source of {@code texts} as UTF-8 chunks, the last of them last. */
    static TrackingSource of(String... texts) {
        Builder builder = builder();
        for (int i = 0; i < texts.length; i++) {
            if (i == texts.length - 1) {
                builder.last(texts[i]);
            } else {
                builder.chunk(texts[i]);
            }
        }
        return texts.length == 0 ? builder.end() : builder.build();
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public synchronized @Nullable Chunk read() {
        Throwable failed = failedWith;
        if (failed != null) {
            return track(Chunk.failed(failed));
        }
        if (terminal != null) {
            return track(terminal);
        }
        Step step = steps.peekFirst();
        if (step == null) {
            misuses.add("read past the end of the script");
            return null;
        }
        if (step instanceof Pause) {
            paused = true;
            nullReads.incrementAndGet();
            return null;
        }
        steps.removeFirst();
        if (step instanceof Failure failure) {
            terminal = Chunk.failed(failure.failure());
            return track(terminal);
        }
        Data data = (Data) step;
        if (data.last()) {
            terminal = data.trailers() == null ? Chunk.end() : Chunk.end(data.trailers());
        }
        Chunk chunk = data.trailers() != null && data.bytes().length == 0
                ? Chunk.end(data.trailers())
                : new TrailerChunk(ByteBuffer.wrap(data.bytes()), data.last(), data.trailers());
        return track(chunk);
    }

    private Chunk track(Chunk chunk) {
        Tracked tracked = new Tracked(chunk, handedOut.size());
        handedOut.add(tracked);
        return tracked;
    }

    /**
     * Holds every later demand callback back until the returned runnable runs: a test that attaches
     * to a stage after starting the read then cannot miss the callback's thread.
     */
    static Runnable holdDemands() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LATER.execute(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return release::countDown;
    }

    @Override
    public void demand(Runnable onReady) {
        demands.incrementAndGet();
        boolean later;
        synchronized (this) {
            later = paused || steps.peekFirst() instanceof Pause && failedWith == null && terminal == null;
        }
        if (!later) {
            onReady.run();
            return;
        }
        LATER.schedule(() -> {
            synchronized (this) {
                if (steps.peekFirst() instanceof Pause) {
                    steps.removeFirst();
                }
                paused = false;
            }
            onReady.run();
        }, 5, TimeUnit.MILLISECONDS);
    }

    @Override
    public void fail(Throwable failure) {
        if (failure == null) {
            misuses.add("fail(null)");
            return;
        }
        if (failedWith == null) {
            failedWith = failure;
        }
    }

    /** What the body was failed with, or null. */
    @Nullable Throwable failedWith() {
        return failedWith;
    }

    /** Chunks handed out and not released yet. */
    int unreleased() {
        return (int) handedOut.stream().filter(chunk -> chunk.releases.get() == 0).count();
    }

    int chunksHandedOut() {
        return handedOut.size();
    }

    int demands() {
        return demands.get();
    }

    /** How many reads gave null: a reader that waits with demand makes at most one per demand. */
    int nullReads() {
        return nullReads.get();
    }

    /** Throws when a chunk was never released, or was released twice, or the source was misused. */
    void assertNoLeaks() {
        List<String> problems = new ArrayList<>(misuses);
        for (Tracked chunk : handedOut) {
            int releases = chunk.releases.get();
            if (releases != 1) {
                problems.add("chunk #" + chunk.index + " (" + chunk.chunk + ") released " + releases + " times");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("leaks: " + String.join("; ", problems) + " (expected: each chunk released once)");
        }
    }

    /** Builds the script. */
    static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private long length = -1;

        Builder chunk(String text) {
            return chunk(text.getBytes(StandardCharsets.UTF_8));
        }

        Builder chunk(byte[] bytes) {
            steps.add(new Data(bytes.clone(), false, null));
            return this;
        }

        /** Until a demand callback, read() gives null. */
        Builder pause() {
            steps.add(new Pause());
            return this;
        }

        Builder length(long length) {
            this.length = length;
            return this;
        }

        /** A last chunk with bytes. */
        TrackingSource last(String text) {
            steps.add(new Data(text.getBytes(StandardCharsets.UTF_8), true, null));
            return build();
        }

        /** A last chunk with bytes and trailers. */
        TrackingSource last(String text, Headers trailers) {
            steps.add(new Data(text.getBytes(StandardCharsets.UTF_8), true, trailers));
            return build();
        }

        /** A last, empty chunk. */
        TrackingSource end() {
            steps.add(new Data(new byte[0], true, null));
            return build();
        }

        /** A last, empty chunk with trailers. */
        TrackingSource end(Headers trailers) {
            steps.add(new Data(new byte[0], true, trailers));
            return build();
        }

        /** The body fails after what came before. */
        TrackingSource fail(Throwable failure) {
            steps.add(new Failure(failure));
            return build();
        }

        private TrackingSource build() {
            return new TrackingSource(steps, length);
        }
    }

    /** A chunk with bytes that may also be last and carry trailers. */
    private record TrailerChunk(ByteBuffer data, boolean isLast, @Nullable Headers trailers) implements Chunk {
        @Override
        public void release() {
        }
    }

    private static final class Tracked implements Chunk {
        final Chunk chunk;
        final int index;
        final AtomicInteger releases = new AtomicInteger();

        Tracked(Chunk chunk, int index) {
            this.chunk = chunk;
            this.index = index;
        }

        @Override
        public ByteBuffer data() {
            return chunk.data();
        }

        @Override
        public boolean isLast() {
            return chunk.isLast();
        }

        @Override
        public @Nullable Throwable failure() {
            return chunk.failure();
        }

        @Override
        public @Nullable Headers trailers() {
            return chunk.trailers();
        }

        @Override
        public void release() {
            if (releases.incrementAndGet() > 1) {
                throw new AssertionError("chunk #" + index + " (" + chunk + ") released twice");
            }
            chunk.release();
        }

        @Override
        public String toString() {
            return "Tracked" + chunk;
        }
    }
}
