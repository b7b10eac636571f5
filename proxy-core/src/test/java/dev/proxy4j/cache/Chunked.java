package dev.proxy4j.cache;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A body of unknown length given in pieces of {@code size} bytes. */
final class Chunked implements Body {
    private final byte[] bytes;
    private final int size;
    private int position;

    Chunked(String text, int size) {
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.size = size;
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public Chunk read() {
        if (position >= bytes.length) {
            return Chunk.end();
        }
        int n = Math.min(size, bytes.length - position);
        ByteBuffer piece = ByteBuffer.wrap(bytes, position, n).slice();
        position += n;
        return Chunk.of(piece, position >= bytes.length);
    }

    @Override
    public void demand(Runnable onReady) {
        onReady.run();
    }

    @Override
    public void fail(Throwable failure) {
        position = bytes.length;
    }
}
