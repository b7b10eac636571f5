package dev.proxy4j.jetty.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body for attempt after attempt: each attempt gets a view that sends what an
 * earlier one already took (kept here as a copy) and then goes on reading from the client, copying
 * what it reads while the copy stays within its byte limit. Past the limit the copy is dropped and
 * the body can no longer be replayed: a retry then needs an attempt that took nothing.
 *
 * <p>Only the newest view reads: an older one (of an attempt given up, whose exchange may not have
 * stopped reading yet) gets a failure. Jetty's client reads a view on the request's loop; the lock
 * is only ever held for one chunk's copy.
 */
final class BodyReplay {

    private final RequestBody source;
    private final long limit;
    private final Executor loop;
    private final List<byte[]> copy = new ArrayList<>();
    private long copied;
    private boolean overflowed;
    private boolean ended;
    private @Nullable View current;

    /** {@code limit}: the most bytes kept; a body that says it is longer is never copied. */
    BodyReplay(RequestBody source, long limit, Executor loop) {
        this.source = source;
        this.limit = limit;
        this.loop = loop;
        long length = source.getLength();
        this.overflowed = length > limit;
    }

    /** The content for the next attempt; the previous one's reads fail from now on. */
    synchronized org.eclipse.jetty.client.Request.Content next() {
        // Never after part of the body went uncopied (the caller checks replayable() first): such a
        // view fails rather than send a body with a hole in it.
        View view = new View(current != null && !replayable());
        current = view;
        return view;
    }

    /** True while a new attempt can send the whole body: nothing of it was taken, or all that was is kept. */
    synchronized boolean replayable() {
        return !source.started() || !overflowed;
    }

    /** Bytes held in memory now. */
    synchronized long copiedBytes() {
        return overflowed ? 0 : copied;
    }

    private synchronized Content.@Nullable Chunk read(View view) {
        if (view != current) {
            return Content.Chunk.from(new IllegalStateException("request body taken over by a retry"), true);
        }
        if (view.holed) {
            return Content.Chunk.from(new IllegalStateException("request body no longer replayable"), true);
        }
        if (view.segment < copy.size()) {
            byte[] bytes = copy.get(view.segment++);
            return Content.Chunk.from(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), ended && view.segment == copy.size());
        }
        if (ended) {
            return Content.Chunk.EOF;
        }
        Content.Chunk chunk = source.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        if (chunk.hasRemaining() && !overflowed) {
            int n = chunk.remaining();
            if (copied + n <= limit) {
                byte[] bytes = new byte[n];
                chunk.getByteBuffer().slice().get(bytes);
                copy.add(bytes);
                copied += n;
            } else {
                overflowed = true;
                copy.clear();
                copied = 0;
            }
        }
        view.segment = copy.size();
        if (chunk.isLast()) {
            ended = true;
        }
        return chunk;
    }

    private void demand(View view, Runnable onReady) {
        boolean ready;
        synchronized (this) {
            ready = view != current || view.holed || view.segment < copy.size() || ended;
        }
        if (ready) {
            loop.execute(onReady);
        } else {
            source.demand(onReady);
        }
    }

    /** One attempt's reading of the body. */
    private final class View implements org.eclipse.jetty.client.Request.Content {
        private final boolean holed;
        private int segment;

        View(boolean holed) {
            this.holed = holed;
        }

        @Override
        public long getLength() {
            return source.getLength();
        }

        @Override
        public Content.@Nullable Chunk read() {
            return BodyReplay.this.read(this);
        }

        @Override
        public void demand(Runnable demandCallback) {
            BodyReplay.this.demand(this, demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            // The attempt failed: the client's request goes on (see RequestBody.fail).
        }

        /** None of its own: the client's Content-Type is among the forwarded headers. */
        @Override
        public @Nullable String getContentType() {
            return null;
        }

        @Override
        public boolean rewind() {
            return false;
        }
    }
}
