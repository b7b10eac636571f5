package dev.proxy4j.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Bodies composed around other bodies, and bodies from files. Each returned body is read once, by one
 * reader, under the {@link Body} contract; it takes over its source: reading, releasing and failing the
 * source become its job, so the caller only deals with the returned body.
 */
public final class Bodies {

    /** Chunk size for file bodies: large enough for few reads, small enough to keep a read short. */
    static final int FILE_CHUNK_SIZE = 32 * 1024;

    private Bodies() {
    }

    /**
     * A body whose chunks are {@code source}'s, each passed through {@code transformer}. Demand,
     * failure and trailers pass through; a source chunk is released when the reader releases the
     * chunk made from it (at once when it yields no bytes). The length is the source's when the
     * transformer {@link ChunkTransformer#keepsLength() keeps lengths}, otherwise -1.
     */
    public static Body transform(Body source, ChunkTransformer transformer) {
        return new TransformedBody(Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(transformer, "transformer"));
    }

    /**
     * A body that gives the reader {@code source}'s chunks unchanged and offers {@code sink} a copy of
     * their bytes. Once more than {@code limit} bytes have passed, the sink is aborted with a
     * {@link BodyTooLargeException} and gets no more, while the reader still gets the whole body.
     * The sink completes when the last chunk passes, and is aborted when the body fails, whether the
     * source failed or the reader called {@link Body#fail(Throwable)}.
     */
    public static Body tee(Body source, BodySink sink, long limit) {
        return new TeeBody(Objects.requireNonNull(source, "source"), Objects.requireNonNull(sink, "sink"),
                checkLimit(limit));
    }

    /**
     * Reads all of {@code source} into memory, with demand: it never blocks and never reads ahead of
     * what the source has. The stage completes, on the thread that gave the last chunk, with a body of
     * the bytes (trailers are dropped), or exceptionally with the source's failure, or with a
     * {@link BodyTooLargeException} once more than {@code limit} bytes arrived (or the source's length
     * says they will): then the source is failed with it. Every chunk read is released.
     */
    public static CompletionStage<Body.Bytes> aggregate(Body source, long limit) {
        return Aggregation.start(Objects.requireNonNull(source, "source"), checkLimit(limit));
    }

    /**
     * Reads up to {@code limit} bytes of {@code source} ahead, with demand (never blocking, never
     * copying more than the limit), for a filter to look at before the body goes on: the stage
     * completes with the bytes and a body to send in the source's place (those bytes, then the rest
     * of the source, streaming; the source's failure, if it failed, where it came). A body that
     * ends within the limit comes back whole, as a body in memory. Completes on the thread that
     * gave the last chunk read.
     */
    public static CompletionStage<BodyPeek> peek(Body source, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        return BodyPeek.start(source, limit);
    }

    /** The whole of {@code file}; see {@link #ofFile(Path, long, long)}. */
    public static Body ofFile(Path file) throws IOException {
        return FileBody.open(Objects.requireNonNull(file, "file"), 0, -1, FILE_CHUNK_SIZE);
    }

    /**
     * {@code length} bytes of {@code file} from {@code offset}, read asynchronously in chunks of at most
     * 32 KiB: the reader's thread never waits for the disk ({@link Body#read()} gives null until a read
     * completes, and the body reads one chunk ahead). The file is opened now, so a missing file fails
     * here, and closed after the last chunk or on {@link Body#fail(Throwable)}; a body made and dropped
     * unread must be failed. If the file turns out shorter than the region, the body fails with an
     * {@link java.io.EOFException}.
     *
     * @throws IllegalArgumentException if the region is not within the file
     */
    public static Body ofFile(Path file, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
        return FileBody.open(Objects.requireNonNull(file, "file"), offset, length, FILE_CHUNK_SIZE);
    }

    private static long checkLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        return limit;
    }
}
