package dev.proxy4j.http;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a {@link Body}: bytes, whether it is the last, the trailers that came with the last
 * one, or the failure that ended the body. Whoever reads a chunk releases it once done with its bytes;
 * a chunk that came from a pool goes back to it then, so its bytes must not be kept: copy them.
 */
public interface Chunk {

    /** The bytes; a reader may consume them (move the position). */
    ByteBuffer data();

    /** True for the body's last chunk. */
    boolean isLast();

    /** The failure that ended the body, or null. */
    default @Nullable Throwable failure() {
        return null;
    }

    /** The trailers, on the last chunk of a body that has them; otherwise null. */
    default @Nullable Headers trailers() {
        return null;
    }

    /** Gives the chunk's bytes back to where they came from. Call once; it does nothing for memory chunks. */
    void release();

    default boolean hasRemaining() {
        return data().hasRemaining();
    }

    /** A chunk of bytes that need no release. */
    static Chunk of(ByteBuffer data, boolean last) {
        return new Simple(data, last, null, null, null);
    }

    /** A chunk whose {@link #release()} runs {@code release}. */
    static Chunk of(ByteBuffer data, boolean last, Runnable release) {
        return new Simple(data, last, null, null, Objects.requireNonNull(release, "release"));
    }

    /** The end of a body: last, and empty. */
    static Chunk end() {
        return Simple.END;
    }

    /** The end of a body, with trailers. */
    static Chunk end(Headers trailers) {
        return new Simple(Simple.NO_BYTES, true, Objects.requireNonNull(trailers, "trailers"), null, null);
    }

    /** The body failed: last, empty, with the failure. */
    static Chunk failed(Throwable failure) {
        return new Simple(Simple.NO_BYTES, true, null, Objects.requireNonNull(failure, "failure"), null);
    }

    /** A plain chunk. */
    final class Simple implements Chunk {
        private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();
        private static final Simple END = new Simple(NO_BYTES, true, null, null, null);

        private final ByteBuffer data;
        private final boolean last;
        private final @Nullable Headers trailers;
        private final @Nullable Throwable failure;
        private final @Nullable Runnable release;

        private Simple(ByteBuffer data, boolean last, @Nullable Headers trailers, @Nullable Throwable failure,
                @Nullable Runnable release) {
            this.data = Objects.requireNonNull(data, "data");
            this.last = last;
            this.trailers = trailers;
            this.failure = failure;
            this.release = release;
        }

        @Override
        public ByteBuffer data() {
            // the shared empty buffers have nothing to consume; a duplicate keeps them shareable
            return data.capacity() == 0 ? data.duplicate() : data;
        }

        @Override
        public boolean isLast() {
            return last;
        }

        @Override
        public @Nullable Throwable failure() {
            return failure;
        }

        @Override
        public @Nullable Headers trailers() {
            return trailers;
        }

        @Override
        public void release() {
            if (release != null) {
                release.run();
            }
        }

        @Override
        public String toString() {
            return "Chunk[" + data.remaining() + " bytes" + (last ? ", last" : "")
                    + (failure != null ? ", failed: " + failure : "") + (trailers != null ? ", trailers" : "") + ']';
        }
    }
}
