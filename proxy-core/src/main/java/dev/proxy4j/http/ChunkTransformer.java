package dev.proxy4j.http;

import java.nio.ByteBuffer;

/**
 * Turns a body's bytes into other bytes, chunk by chunk, for {@link Bodies#transform(Body, ChunkTransformer)}.
 * A transformer is made for one body and called by that body's reader, one call at a time, in order:
 * <ul>
 *   <li>{@link #apply(ByteBuffer, boolean)} once for each chunk of the source, with {@code last} true for
 *       the last one, after which it is not called again. It may return no bytes (a compressor that is
 *       still filling its window) and, for the last chunk, everything it still holds;</li>
 *   <li>{@link #close()} once, when the body ends (after the last {@code apply}) or fails, so that
 *       what it holds (a {@link java.util.zip.Deflater}) can be freed.</li>
 * </ul>
 * The body never calls {@code close} while an {@code apply} runs, even when another thread fails it,
 * so a transformer needs no locking of its own.
 */
public interface ChunkTransformer {

    /**
     * The bytes for one source chunk. {@code in} is the source chunk's bytes: read it, don't keep it
     * past the call except by returning it or a view of it (the source chunk is released when the reader
     * releases the chunk built from the result). The returned buffer, from its position to its limit, is
     * handed to the reader and must not be changed by the transformer afterwards.
     *
     * @throws RuntimeException to fail the body: the source is failed with it and the reader gets a
     *     failed chunk
     */
    ByteBuffer apply(ByteBuffer in, boolean last);

    /** True when the output of every chunk has exactly as many bytes as its input, so the body's length stays known. */
    default boolean keepsLength() {
        return false;
    }

    /** Frees what the transformer holds. Called once; it does nothing by default. */
    default void close() {
    }
}
