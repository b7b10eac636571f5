package dev.proxy4j.testkit;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;

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
 * A scripted {@link Body} for testing code that reads bodies (filters, transformers, sinks): every chunk
 * it hands out counts its releases. A second release of a chunk throws an {@link AssertionError} at once;
 * {@link #assertNoLeaks()} throws one for a chunk never released. A {@link Builder#pause() pause} makes
 * {@code read()} give null until a demand callback, which comes about 5 ms later on the thread named
 * {@link #DEMAND_THREAD}, as a network body's would.
 *
 * <pre>{@code
 * TrackingBody body = TrackingBody.builder().chunk("ab").pause().last("cd");
 * String text = readAll(myFilterBody(body));
 * body.assertNoLeaks();
 * }</pre>
 *
 * Read it from one reader at a time, as any body; the accessors may be called from any thread.
 */
public final class TrackingBody implements Body {
    /** The name of the thread demand callbacks come on after a pause. */
    public static final String DEMAND_THREAD = "tracking-body-demand";
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

    private TrackingBody(List<Step> steps, long length) {
        this.steps = new ArrayDeque<>(steps);
        this.length = length;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A source of {@code texts} as UTF-8 chunks, the last of them last. */
    public static TrackingBody of(String... texts) {
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

    /** What the reader failed the body with ({@link #fail(Throwable)}), or null. */
    public @Nullable Throwable failedWith() {
        return failedWith;
    }

    /** Chunks handed out and not released yet. */
    public int unreleased() {
        return (int) handedOut.stream().filter(chunk -> chunk.releases.get() == 0).count();
    }

    /** How many chunks {@code read()} handed out, the last and failed ones included. */
    public int chunksHandedOut() {
        return handedOut.size();
    }

    /** How many times {@code demand} was called. */
    public int demands() {
        return demands.get();
    }

    /** How many reads gave null: a reader that waits with demand makes at most one per demand. */
    public int nullReads() {
        return nullReads.get();
    }

    /** Throws when a chunk was never released, or was released twice, or the source was misused. */
    public void assertNoLeaks() {
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

    /** The script of a body: its chunks, pauses and end, in order. The methods that end it build the body. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private long length = -1;

        private Builder() {
        }

        /** A chunk of {@code text} in UTF-8. */
        public Builder chunk(String text) {
            return chunk(text.getBytes(StandardCharsets.UTF_8));
        }

        /** A chunk of a copy of {@code bytes}. */
        public Builder chunk(byte[] bytes) {
            steps.add(new Data(bytes.clone(), false, null));
            return this;
        }

        /** Until a demand callback, read() gives null. */
        public Builder pause() {
            steps.add(new Pause());
            return this;
        }

        /** The length the body declares; -1 (unknown) by default. */
        public Builder length(long length) {
            this.length = length;
            return this;
        }

        /** A last chunk with bytes. */
        public TrackingBody last(String text) {
            steps.add(new Data(text.getBytes(StandardCharsets.UTF_8), true, null));
            return build();
        }

        /** A last chunk with bytes and trailers. */
        public TrackingBody last(String text, Headers trailers) {
            steps.add(new Data(text.getBytes(StandardCharsets.UTF_8), true, trailers));
            return build();
        }

        /** A last, empty chunk. */
        public TrackingBody end() {
            steps.add(new Data(new byte[0], true, null));
            return build();
        }

        /** A last, empty chunk with trailers. */
        public TrackingBody end(Headers trailers) {
            steps.add(new Data(new byte[0], true, trailers));
            return build();
        }

        /** The body fails after what came before. */
        public TrackingBody fail(Throwable failure) {
            steps.add(new Failure(failure));
            return build();
        }

        private TrackingBody build() {
            return new TrackingBody(steps, length);
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
