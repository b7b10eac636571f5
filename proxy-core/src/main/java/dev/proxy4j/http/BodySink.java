package dev.proxy4j.http;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Receives a copy of a body's bytes as a reader reads them, for {@link Bodies#tee(Body, BodySink, long)}:
 * a cache store filling an entry, a log keeping the first bytes. The calls are
 * {@link #write(ByteBuffer)} any number of times, then exactly one of {@link #complete(Headers)} or
 * {@link #abort(Throwable)}; they are never concurrent, and come on the reader's thread (or, for
 * {@code abort}, on the thread that failed the body). None may block: a sink that stores remotely
 * buffers and completes its own work asynchronously.
 */
public interface BodySink {

    /**
     * The next bytes. The buffer is a copy that the sink owns: it may keep it. A sink that throws is
     * aborted with what it threw; the body's reader does not notice.
     */
    void write(ByteBuffer copy);

    /** The body ended well; {@code trailers} are the last chunk's, or null when it had none. */
    void complete(@Nullable Headers trailers);

    /**
     * The sink will get no more bytes, and what it has is not the whole body: the body went past the
     * tee's limit ({@link BodyTooLargeException}), failed, or the sink itself threw.
     */
    void abort(Throwable cause);
}
