package dev.proxy4j.jetty.internal;

import dev.proxy4j.compress.Encoding;
import java.nio.ByteBuffer;
import org.eclipse.jetty.compression.EncoderSink;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * A response body compressed on its way to the client: writes go through Jetty's encoder into
 * {@code to}.
 *
 * <p>A body of unknown length (chunked, HTTP/2) may turn out shorter than the minimum: its first
 * bytes are held back (at most {@code minLength}, copied) until either more than that has come,
 * and it is compressed, or its end has, and it is sent as it is after {@code sendAsIs} has put the
 * headers back (the response is not committed while bytes are held).
 *
 * <p>When the body fails before its end, {@link #abort} lets the encoder finish into nothing, which
 * frees its native state and pooled buffers without ending the client's response as if it were whole.
 */
final class EncodingSink implements Content.Sink {

    private final Encoders encoders;
    private final Encoding encoding;
    private final int level;
    private final Content.Sink to;
    private final Runnable sendAsIs;
    private final Content.Sink gate;
    /** Bytes held back while the body may still be short; null once decided. */
    private @Nullable ByteBuffer held;
    private @Nullable EncoderSink encoder;
    private volatile boolean aborted;

    /** @param minLength 0 when the body is known to be long enough: compressed from the first byte */
    EncodingSink(Encoders encoders, Encoding encoding, int level, Content.Sink to, int minLength, Runnable sendAsIs) {
        this.encoders = encoders;
        this.encoding = encoding;
        this.level = level;
        this.to = to;
        this.sendAsIs = sendAsIs;
        this.held = minLength > 0 ? ByteBuffer.allocate(minLength) : null;
        this.gate = (last, buffer, callback) -> {
            if (aborted) {
                callback.succeeded();
            } else {
                to.write(last, buffer, callback);
            }
        };
    }

    @Override
    public void write(boolean last, ByteBuffer buffer, Callback callback) {
        ByteBuffer pending = held;
        if (pending != null) {
            if (buffer.remaining() < pending.remaining()) {
                pending.put(buffer);
                if (!last) {
                    callback.succeeded();
                    return;
                }
                // The whole body is shorter than the minimum: it goes as it came.
                held = null;
                sendAsIs.run();
                to.write(true, pending.flip(), callback);
                return;
            }
            held = null;
            EncoderSink started = start();
            pending.flip();
            if (pending.hasRemaining()) {
                started.write(false, pending, Callback.from(() -> started.write(last, buffer, callback), callback::failed));
                return;
            }
        }
        EncoderSink started = encoder != null ? encoder : start();
        started.write(last, buffer, callback);
    }

    private EncoderSink start() {
        EncoderSink started = encoders.sink(encoding, level, gate);
        encoder = started;
        return started;
    }

    /** The body failed: nothing more reaches the client, and the encoder lets go of what it holds. */
    void abort() {
        if (!aborted) {
            aborted = true;
            EncoderSink started = encoder;
            if (started != null) {
                started.write(true, BufferUtil.EMPTY_BUFFER, Callback.NOOP);
            }
        }
    }
}
