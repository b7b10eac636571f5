package dev.proxy4j.http;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** {@link Bodies#aggregate(Body, long)}: the body's bytes in one array, up to a limit. */
final class Aggregation extends ReadLoop {
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final long limit;
    private final CompletableFuture<Body.Bytes> result = new CompletableFuture<>();
    private byte[] bytes;
    private int size;

    private Aggregation(Body source, long limit, long length) {
        super(source);
        this.limit = Math.min(limit, MAX_ARRAY);
        this.bytes = new byte[(int) (length >= 0 ? length : Math.min(this.limit, INITIAL_CAPACITY))];
    }

    static CompletionStage<Body.Bytes> start(Body source, long limit) {
        long length = source.length();
        if (length > Math.min(limit, MAX_ARRAY)) {
            BodyTooLargeException tooLarge = new BodyTooLargeException(Math.min(limit, MAX_ARRAY));
            source.fail(tooLarge);
            return CompletableFuture.failedFuture(tooLarge);
        }
        Aggregation aggregation = new Aggregation(source, limit, length);
        aggregation.run();
        return aggregation.result;
    }

    @Override
    void take(Chunk chunk) {
        Runnable outcome;
        try {
            outcome = accept(chunk);
        } finally {
            // Released before the stage completes: whoever waits on it finds every chunk given back.
            chunk.release();
        }
        if (outcome != null) {
            outcome.run();
        }
    }

    @Override
    void readFailed(RuntimeException failure) {
        fail(failure);
    }

    /** Takes the chunk's bytes; what completes the stage, when this chunk ends the body, to run once it is released. */
    private @Nullable Runnable accept(Chunk chunk) {
        Throwable failure = chunk.failure();
        if (failure != null) {
            done = true;
            return () -> result.completeExceptionally(failure);
        }
        int remaining = chunk.data().remaining();
        if (size + (long) remaining > limit) {
            done = true;
            BodyTooLargeException tooLarge = new BodyTooLargeException(limit);
            return () -> fail(tooLarge);
        }
        if (size + remaining > bytes.length) {
            long doubled = Math.max(2L * bytes.length, size + remaining);
            bytes = Arrays.copyOf(bytes, (int) Math.min(doubled, limit));
        }
        chunk.data().duplicate().get(bytes, size, remaining);
        size += remaining;
        if (chunk.isLast()) {
            done = true;
            Body.Bytes whole = Body.Bytes.adopt(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
            return () -> result.complete(whole);
        }
        return null;
    }

    private void fail(RuntimeException failure) {
        done = true;
        source.fail(failure);
        result.completeExceptionally(failure);
    }
}
