package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Copies a backend's body to the client's sink, without Jetty's {@code Content.copy} machinery
 * when the whole body is already in hand: most small responses arrive with their head, so the
 * first read gives all of it. That chunk is written at once, the end of stream read after it (which
 * gives the backend's connection back), and only what is left, when anything is, goes through
 * {@code Content.copy}, which reads on demand. {@code Content.copy} makes an iterating callback
 * with a lock, an invoker and a callback of its own per response.
 */
final class WholeBody {

    private WholeBody() {
    }

    /**
     * Copies {@code source} to {@code sink}, then completes {@code done} (failed with what failed:
     * the source's failure or the sink's). {@code length} is the body's length, or -1 when unknown.
     */
    static void copy(Content.Source source, Content.Sink sink, long length, Callback done) {
        Content.Chunk first = source.read();
        if (first == null || Content.Chunk.isFailure(first)
                || !(first.isLast() || length > 0 && first.remaining() == length)) {
            // Nothing yet, a failure, or a part only: the general copy, which starts with what the source has.
            copyRest(source, sink, first, done);
            return;
        }
        sink.write(first.isLast(), first.getByteBuffer(), new Written(source, sink, first, done));
    }

    /** The whole body's write, done: releases its chunk and reads the end of stream that follows it. */
    private static final class Written implements Callback {
        private final Content.Source source;
        private final Content.Sink sink;
        private final Content.Chunk chunk;
        private final Callback done;

        Written(Content.Source source, Content.Sink sink, Content.Chunk chunk, Callback done) {
            this.source = source;
            this.sink = sink;
            this.chunk = chunk;
            this.done = done;
        }

        @Override
        public void succeeded() {
            boolean ended = chunk.isLast();
            chunk.release();
            if (ended) {
                done.succeeded();
                return;
            }
            Content.Chunk next = source.read();
            if (next != null && next.isLast() && !Content.Chunk.isFailure(next) && !next.hasRemaining()) {
                // The end of stream, as expected: the sink's response already ended with the body's last bytes.
                next.release();
                done.succeeded();
            } else {
                // Not yet read, or a body longer than its length (the sink fails it): the general path.
                copyRest(source, sink, next, done);
            }
        }

        @Override
        public void failed(Throwable failure) {
            chunk.release();
            done.failed(failure);
        }
    }

    /** The rest of {@code source} after {@code next}, the chunk read last (null when none was). */
    private static void copyRest(Content.Source source, Content.Sink sink, Content.@Nullable Chunk next, Callback done) {
        if (next == null) {
            Content.copy(source, sink, done);
            return;
        }
        if (Content.Chunk.isFailure(next)) {
            done.failed(next.getFailure());
            return;
        }
        boolean last = next.isLast();
        sink.write(last, next.getByteBuffer(), Callback.from(() -> {
            next.release();
            if (last) {
                done.succeeded();
            } else {
                Content.copy(source, sink, done);
            }
        }, failure -> {
            next.release();
            done.failed(failure);
        }));
    }
}
