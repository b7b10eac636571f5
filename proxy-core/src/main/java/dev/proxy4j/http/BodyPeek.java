package dev.proxy4j.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The first bytes of a body, read ahead for a look ({@link Bodies#peek(Body, int)}), and the body to
 * pass on in the source's place: the same bytes, then the rest of the source as it streams. Never
 * more than the limit is copied; the chunk that crossed it is held as it came and passed on whole.
 */
public final class BodyPeek {

    private final byte[] bytes;
    private final int size;
    private final boolean whole;
    private final Body body;

    private BodyPeek(byte[] bytes, int size, boolean whole, Body body) {
        this.bytes = bytes;
        this.size = size;
        this.whole = whole;
        this.body = body;
    }

    /** The bytes read ahead: the whole body when {@link #whole()}, otherwise its first {@code limit} bytes. */
    public byte[] bytes() {
        return size == bytes.length ? bytes.clone() : Arrays.copyOf(bytes, size);
    }

    /** How many bytes were read ahead. */
    public int size() {
        return size;
    }

    /** The bytes read ahead, as text (malformed UTF-8 replaced). */
    public String utf8() {
        return new String(bytes, 0, size, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** True when the bytes are the whole body; false when the body goes on past the limit (or failed). */
    public boolean whole() {
        return whole;
    }

    /** The body to send on: everything the source had, from its first byte. */
    public Body body() {
        return body;
    }

    static CompletionStage<BodyPeek> start(Body source, int limit) {
        Reader reader = new Reader(Objects.requireNonNull(source, "source"), limit);
        reader.run();
        return reader.result;
    }

    /** Copies up to the limit, then holds the chunk that crossed it. */
    private static final class Reader extends ReadLoop {
        private final int limit;
        private final CompletableFuture<BodyPeek> result = new CompletableFuture<>();
        private byte[] buffer;
        private int size;

        Reader(Body source, int limit) {
            super(source);
            this.limit = limit;
            long length = source.length();
            this.buffer = new byte[(int) (length >= 0 ? Math.min(length, limit) : Math.min(limit, 8 * 1024))];
        }

        @Override
        void readFailed(RuntimeException failure) {
            source.fail(failure);
            result.completeExceptionally(failure);
        }

        @Override
        void take(Chunk chunk) {
            if (chunk.failure() != null) {
                // passed on as it came: whoever reads the body on finds the failure where it was
                finish(chunk, size, false);
                return;
            }
            int before = size;
            ByteBuffer data = chunk.data().duplicate();
            int copied = Math.min(data.remaining(), limit - size);
            if (size + copied > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(2 * buffer.length, size + copied)));
            }
            data.get(buffer, size, copied);
            size += copied;
            boolean all = copied == chunk.data().remaining();
            if (all && chunk.isLast() && chunk.trailers() == null) {
                chunk.release();
                done = true;
                byte[] copy = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
                result.complete(new BodyPeek(copy, size, true, Body.Bytes.adopt(copy)));
            } else if (all && !chunk.isLast() && size < limit) {
                chunk.release();
            } else {
                finish(chunk, before, all && chunk.isLast());
            }
        }

        /** Stops reading ahead: {@code held} goes on whole after the first {@code passOn} bytes copied. */
        private void finish(Chunk held, int passOn, boolean whole) {
            done = true;
            result.complete(new BodyPeek(buffer, size, whole, new Replay(source, buffer, passOn, held)));
        }
    }

    /** The bytes copied before the held chunk, the held chunk, then the source. */
    private static final class Replay implements Body {
        private final Body source;
        private final byte[] prefix;
        private final int prefixLength;
        private volatile boolean prefixGiven;
        private volatile @Nullable Chunk held;
        private volatile @Nullable Throwable failure;

        Replay(Body source, byte[] prefix, int prefixLength, Chunk held) {
            this.source = source;
            this.prefix = prefix;
            this.prefixLength = prefixLength;
            this.prefixGiven = prefixLength == 0;
            this.held = held;
        }

        @Override
        public long length() {
            return source.length();
        }

        @Override
        public @Nullable Chunk read() {
            Throwable failed = failure;
            if (failed != null) {
                return Chunk.failed(failed);
            }
            if (!prefixGiven) {
                prefixGiven = true;
                return Chunk.of(ByteBuffer.wrap(prefix, 0, prefixLength).asReadOnlyBuffer(), false);
            }
            Chunk chunk = held;
            if (chunk != null) {
                held = null;
                return chunk;
            }
            return source.read();
        }

        @Override
        public void demand(Runnable onReady) {
            if (!prefixGiven || held != null || failure != null) {
                onReady.run();
            } else {
                source.demand(onReady);
            }
        }

        @Override
        public void fail(Throwable failure) {
            this.failure = Objects.requireNonNull(failure, "failure");
            Chunk chunk = held;
            held = null;
            if (chunk != null) {
                chunk.release();
            }
            source.fail(failure);
        }

        @Override
        public String toString() {
            return "BodyPeek.Replay[" + prefixLength + " bytes, then " + source + ']';
        }
    }
}
