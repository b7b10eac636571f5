package dev.proxy4j.http;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** {@link Bodies#transform(Body, ChunkTransformer)}: apply and close run under this body's lock. */
final class TransformedBody implements Body {
    private final Body source;
    private final ChunkTransformer transformer;
    /** The chunk every read gives once the body ended or failed; null while it streams. */
    private @Nullable Chunk terminal;
    private boolean closed;

    TransformedBody(Body source, ChunkTransformer transformer) {
        this.source = source;
        this.transformer = transformer;
    }

    @Override
    public long length() {
        return transformer.keepsLength() ? source.length() : -1;
    }

    @Override
    public @Nullable Chunk read() {
        RuntimeException thrown;
        synchronized (this) {
            if (terminal != null) {
                return terminal;
            }
            while (true) {
                Chunk in = source.read();
                if (in == null) {
                    return null;
                }
                Throwable failure = in.failure();
                if (failure != null) {
                    in.release();
                    return end(Chunk.failed(failure));
                }
                ByteBuffer out;
                try {
                    out = transformer.apply(in.data(), in.isLast());
                    if (out == null) {
                        throw new IllegalStateException("transformer " + transformer + " returned null (expected: a buffer)");
                    }
                } catch (RuntimeException e) {
                    in.release();
                    end(Chunk.failed(e));
                    thrown = e;
                    break;
                }
                if (in.isLast()) {
                    end(Chunk.end());
                    return new DerivedChunk(out, true, in.trailers(), in);
                }
                if (out.hasRemaining()) {
                    return new DerivedChunk(out, false, null, in);
                }
                in.release();
            }
        }
        source.fail(thrown);
        return Chunk.failed(thrown);
    }

    /** Ends the body with {@code chunk}, which later reads give again; the transformer is closed. */
    private Chunk end(Chunk chunk) {
        terminal = chunk;
        if (!closed) {
            closed = true;
            transformer.close();
        }
        return chunk;
    }

    @Override
    public void demand(Runnable onReady) {
        source.demand(onReady);
    }

    @Override
    public void fail(Throwable failure) {
        synchronized (this) {
            if (terminal == null) {
                end(Chunk.failed(failure));
            }
        }
        source.fail(failure);
    }

    @Override
    public String toString() {
        return "Body[" + transformer + " of " + source + ']';
    }
}
