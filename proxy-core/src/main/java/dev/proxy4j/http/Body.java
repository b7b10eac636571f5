package dev.proxy4j.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A request or response body: a stream of {@link Chunk}s read on demand, in the manner of Jetty's
 * {@code Content.Source}. A body is read once, by one reader:
 * <ul>
 *   <li>{@link #read()} gives the next chunk, or null when none is ready: then
 *       {@link #demand(Runnable)} asks to be called back once {@code read()} may give one;</li>
 *   <li>the last chunk says so ({@link Chunk#isLast()}), may carry trailers, and every read after
 *       it gives a last, empty chunk again;</li>
 *   <li>a chunk with a {@link Chunk#failure()} ends the body in error;</li>
 *   <li>whoever reads a chunk releases it ({@link Chunk#release()}) once done with its bytes;</li>
 *   <li>a reader that stops early calls {@link #fail(Throwable)}, which frees what the body holds
 *       (a backend's connection, a file).</li>
 * </ul>
 * A filter that only changes headers passes the body along untouched; one that replaces a body
 * fails the one it drops. The proxy's own bodies ({@link #of(byte[])}, {@link #empty()}) live in memory.
 */
public interface Body {

    /** The length in bytes, or -1 when unknown until the end (a chunked stream). */
    long length();

    /** The next chunk, or null when none is ready yet (then {@link #demand(Runnable)}). */
    @Nullable Chunk read();

    /**
     * Calls {@code onReady} once, when {@link #read()} may give a chunk. It may be called on
     * another thread, or at once on this one; it must not block.
     */
    void demand(Runnable onReady);

    /** The reader gives up: frees what the body holds; later reads give a failed chunk. */
    void fail(Throwable failure);

    /** No bytes. The same instance every time: it holds nothing, so it can be read any number of times. */
    static Body empty() {
        return Bytes.EMPTY;
    }

    /** A body of a copy of {@code bytes}. */
    static Body of(byte[] bytes) {
        return new Bytes(bytes.clone());
    }

    static Body ofUtf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A body held in memory, read as one last chunk. */
    final class Bytes implements Body {
        static final Bytes EMPTY = new Bytes(new byte[0]);

        private final byte[] bytes;
        private final AtomicBoolean read = new AtomicBoolean();
        private volatile @Nullable Throwable failure;

        private Bytes(byte[] bytes) {
            this.bytes = Objects.requireNonNull(bytes, "bytes");
        }

        /** A body over {@code bytes} without a copy: the caller gives the array up. */
        static Bytes adopt(byte[] bytes) {
            return bytes.length == 0 ? EMPTY : new Bytes(bytes);
        }

        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public Chunk read() {
            Throwable failed = failure;
            if (failed != null) {
                return Chunk.failed(failed);
            }
            if (bytes.length == 0 || !read.compareAndSet(false, true)) {
                return Chunk.end();
            }
            return Chunk.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), true);
        }

        @Override
        public void demand(Runnable onReady) {
            onReady.run();
        }

        @Override
        public void fail(Throwable failure) {
            if (this != EMPTY) {
                this.failure = Objects.requireNonNull(failure, "failure");
            }
        }

        /** A copy of the bytes, whether or not the body was read. */
        public byte[] toByteArray() {
            return bytes.clone();
        }

        public String toUtf8() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Body.Bytes[" + bytes.length + " bytes]";
        }
    }
}
