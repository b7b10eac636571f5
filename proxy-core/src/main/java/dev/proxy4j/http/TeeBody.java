package dev.proxy4j.http;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Bodies#tee(Body, BodySink, long)}: the sink is called under this body's lock, so never concurrently. */
final class TeeBody implements Body {
    private static final Logger LOG = LoggerFactory.getLogger(TeeBody.class);

    private final Body source;
    private final BodySink sink;
    private final long limit;
    private long passed;
    /** True once the sink completed or was aborted. */
    private boolean sinkDone;

    TeeBody(Body source, BodySink sink, long limit) {
        this.source = source;
        this.sink = sink;
        this.limit = limit;
    }

    @Override
    public long length() {
        return source.length();
    }

    @Override
    public @Nullable Chunk read() {
        Chunk chunk = source.read();
        if (chunk != null) {
            offer(chunk);
        }
        return chunk;
    }

    private synchronized void offer(Chunk chunk) {
        if (sinkDone) {
            return;
        }
        Throwable failure = chunk.failure();
        if (failure != null) {
            abort(failure);
            return;
        }
        ByteBuffer data = chunk.data();
        int size = data.remaining();
        passed += size;
        if (passed > limit) {
            abort(new BodyTooLargeException(limit));
            return;
        }
        if (size > 0) {
            ByteBuffer copy = ByteBuffer.allocate(size).put(data.duplicate()).flip();
            try {
                sink.write(copy);
            } catch (RuntimeException e) {
                abort(e);
                return;
            }
        }
        if (chunk.isLast()) {
            sinkDone = true;
            try {
                sink.complete(chunk.trailers());
            } catch (RuntimeException e) {
                LOG.warn("Body sink {} failed to complete", sink, e);
            }
        }
    }

    private void abort(Throwable cause) {
        sinkDone = true;
        try {
            sink.abort(cause);
        } catch (RuntimeException e) {
            LOG.warn("Body sink {} failed to abort", sink, e);
        }
    }

    @Override
    public void demand(Runnable onReady) {
        source.demand(onReady);
    }

    @Override
    public void fail(Throwable failure) {
        synchronized (this) {
            if (!sinkDone) {
                abort(failure);
            }
        }
        source.fail(failure);
    }

    @Override
    public String toString() {
        return "Body[tee of " + source + " into " + sink + ']';
    }
}
