package dev.proxy4j.http;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** A chunk made from another one: its release releases the one it was made from. */
final class DerivedChunk implements Chunk {
    private final ByteBuffer data;
    private final boolean last;
    private final @Nullable Headers trailers;
    private final Chunk from;

    DerivedChunk(ByteBuffer data, boolean last, @Nullable Headers trailers, Chunk from) {
        this.data = data;
        this.last = last;
        this.trailers = trailers;
        this.from = from;
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public boolean isLast() {
        return last;
    }

    @Override
    public @Nullable Headers trailers() {
        return trailers;
    }

    @Override
    public void release() {
        from.release();
    }

    @Override
    public String toString() {
        return "Chunk[" + data.remaining() + " bytes" + (last ? ", last" : "") + (trailers != null ? ", trailers" : "")
                + ']';
    }
}
