package dev.proxy4j.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Bodies#ofFile(Path, long, long)}: one asynchronous read at a time, one chunk read ahead. The
 * state is guarded by this body's lock; reads are started and callbacks run outside it.
 */
final class FileBody implements Body, CompletionHandler<Integer, ByteBuffer> {
    private static final Logger LOG = LoggerFactory.getLogger(FileBody.class);

    private final Path file;
    private final AsynchronousFileChannel channel;
    private final long offset;
    private final long end;
    private final int chunkSize;
    /** Where the next read starts. */
    private long next;
    private boolean reading;
    /** Bytes read and not yet handed to the reader. */
    private @Nullable ByteBuffer ready;
    private @Nullable Throwable failure;
    private boolean ended;
    private @Nullable Runnable demand;

    private FileBody(Path file, AsynchronousFileChannel channel, long offset, long length, int chunkSize) {
        this.file = file;
        this.channel = channel;
        this.offset = offset;
        this.end = offset + length;
        this.chunkSize = chunkSize;
        this.next = offset;
    }

    /** Opens {@code file}; a {@code length} of -1 means up to the end of the file. */
    static FileBody open(Path file, long offset, long length, int chunkSize) throws IOException {
        AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (offset > size) {
                throw new IllegalArgumentException(
                        "offset: " + offset + " (expected: at most " + size + ", the size of " + file + ")");
            }
            if (length < 0) {
                length = size - offset;
            } else if (length > size - offset) {
                throw new IllegalArgumentException("length: " + length + " (expected: at most " + (size - offset)
                        + ", what " + file + " has from offset " + offset + ")");
            }
            return new FileBody(file, channel, offset, length, chunkSize);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, file, e);
            throw e;
        }
    }

    @Override
    public long length() {
        return end - offset;
    }

    @Override
    public @Nullable Chunk read() {
        Chunk chunk;
        ByteBuffer toRead;
        long position;
        synchronized (this) {
            Throwable failed = failure;
            if (failed != null) {
                return Chunk.failed(failed);
            }
            if (ended) {
                return Chunk.end();
            }
            ByteBuffer data = ready;
            ready = null;
            // while bytes are ready no read runs, so next == end means these are the last ones
            if (next == end && (data != null || !reading)) {
                end();
                return data == null ? Chunk.end() : Chunk.of(data, true);
            }
            chunk = data == null ? null : Chunk.of(data, false);
            toRead = startRead();
            position = toRead == null ? -1 : next - toRead.remaining();
        }
        if (toRead != null) {
            channel.read(toRead, position, toRead, this);
        }
        return chunk;
    }

    /** Under the lock: a buffer for the next read when one should start (none running, bytes left), else null. */
    private @Nullable ByteBuffer startRead() {
        if (reading || next == end) {
            return null;
        }
        reading = true;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(chunkSize, end - next));
        next += buffer.remaining();
        return buffer;
    }

    /** A read finished; {@code buffer}'s region of the file ends at {@link #next}. */
    @Override
    public void completed(Integer count, ByteBuffer buffer) {
        Runnable callback = null;
        long rest = -1;
        synchronized (this) {
            reading = false;
            if (failure != null || ended) {
                return;
            }
            if (count <= 0 && buffer.hasRemaining()) {
                // the file got shorter since it was opened
                failure = new EOFException("file: " + file + " ended at " + (next - buffer.remaining())
                        + " (expected: " + (end - offset) + " bytes from " + offset + ")");
                close();
            } else if (buffer.hasRemaining()) {
                // a short read: the rest of this chunk comes first
                reading = true;
                rest = next - buffer.remaining();
            } else {
                ready = buffer.flip();
            }
            if (rest < 0) {
                callback = demand;
                demand = null;
            }
        }
        if (rest >= 0) {
            channel.read(buffer, rest, buffer, this);
        } else if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void failed(Throwable cause, ByteBuffer buffer) {
        Runnable callback;
        synchronized (this) {
            reading = false;
            if (failure != null || ended) {
                return;
            }
            failure = cause;
            close();
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void demand(Runnable onReady) {
        boolean readable;
        ByteBuffer toRead = null;
        long position = -1;
        synchronized (this) {
            readable = ready != null || failure != null || ended || next == end && !reading;
            if (!readable) {
                demand = onReady;
                toRead = startRead();
                position = toRead == null ? -1 : next - toRead.remaining();
            }
        }
        if (readable) {
            onReady.run();
        } else if (toRead != null) {
            channel.read(toRead, position, toRead, this);
        }
    }

    @Override
    public void fail(Throwable cause) {
        Runnable callback;
        synchronized (this) {
            if (failure != null || ended) {
                return;
            }
            failure = cause;
            ready = null;
            close();
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    private void end() {
        ended = true;
        close();
    }

    private void close() {
        closeQuietly(channel, file, null);
    }

    private static void closeQuietly(AsynchronousFileChannel channel, Path file, @Nullable Throwable primary) {
        try {
            channel.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                LOG.warn("Could not close {}", file, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Body[" + (end - offset) + " bytes of " + file + " from " + offset + ']';
    }
}
