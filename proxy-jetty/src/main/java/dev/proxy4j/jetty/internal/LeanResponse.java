package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritePendingException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.jspecify.annotations.Nullable;

/**
 * The response to a {@link LeanExchange}: its head and body framed by the connection's
 * {@link HttpGenerator} (Content-Length or chunked with trailers, nothing for HEAD, 204 or 304,
 * {@code Connection: close} when the connection ends), written straight to the endpoint. It
 * holds a write to what Jetty's response holds it: one at a time, never past the Content-Length,
 * nothing after the last; a single last write with no Content-Length gets one.
 *
 * <p>Writes come one after another (a later one once the earlier one completed), from whichever
 * thread the body's source calls from; completions of writes that had to wait for the socket run
 * on the loop.
 */
final class LeanResponse implements Response {

    private final LeanExchange request;
    private final LeanHttp11Server connection;
    private final HttpGenerator generator;
    private final boolean head;
    private int status;
    private final HttpFields.Mutable headers = HttpFields.build();
    private @Nullable Supplier<HttpFields> trailers;
    private boolean committed;
    private boolean lastWritten;
    private long written;
    private long committedLength = -1;
    private volatile boolean succeeded;
    private volatile @Nullable Throwable writeFailure;

    // The write under way.
    private volatile @Nullable Callback pending;
    private MetaData.@Nullable Response info;
    private @Nullable ByteBuffer content;
    private boolean last;
    private @Nullable RetainableByteBuffer header;
    private @Nullable RetainableByteBuffer chunk;
    private boolean shutdownOut;
    private final Callback flushed = new Callback() {
        @Override
        public void succeeded() {
            generate();
        }

        @Override
        public void failed(Throwable failure) {
            writeFailed(failure);
        }

        @Override
        public Invocable.InvocationType getInvocationType() {
            return Invocable.InvocationType.NON_BLOCKING;
        }
    };

    LeanResponse(LeanExchange request, LeanHttp11Server connection, boolean head) {
        this.request = request;
        this.connection = connection;
        this.generator = connection.generator;
        this.head = head;
    }

    @Override
    public Request getRequest() {
        return request;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void setStatus(int code) {
        if (!committed) {
            status = code;
        }
    }

    @Override
    public HttpFields.Mutable getHeaders() {
        return headers;
    }

    @Override
    public @Nullable Supplier<HttpFields> getTrailersSupplier() {
        return trailers;
    }

    @Override
    public void setTrailersSupplier(@Nullable Supplier<HttpFields> trailers) {
        this.trailers = trailers;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public boolean hasLastWrite() {
        return lastWritten;
    }

    @Override
    public boolean isCompletedSuccessfully() {
        return succeeded;
    }

    @Override
    public void reset() {
        if (committed) {
            throw new IllegalStateException("Committed");
        }
        status = 0;
        headers.clear();
        trailers = null;
    }

    @Override
    public CompletableFuture<Void> writeInterim(int status, HttpFields headers) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no interim responses here"));
    }

    /** Whether a write is under way. */
    boolean writing() {
        return pending != null;
    }

    /** Whether the body written matches the Content-Length the response was committed with. */
    boolean lengthKept() {
        return committedLength < 0 || written == committedLength || written == 0 && head;
    }

    /** Fails the write under way, if any, by closing the connection under it (its buffers are the endpoint's until then). */
    void failWrite(Throwable cause) {
        if (pending != null) {
            connection.getEndPoint().close(cause);
        }
    }

    /** Forgets a commit that put nothing on the wire, for the error response that replaces it. */
    void resetForError() {
        committed = false;
        lastWritten = false;
        written = 0;
        committedLength = -1;
        writeFailure = null;
        succeeded = false;
        reset();
    }

    @Override
    public void write(boolean last, @Nullable ByteBuffer content, Callback callback) {
        long length = BufferUtil.length(content);
        Throwable failure = writeFailure;
        if (failure == null && pending != null) {
            failure = new WritePendingException();
        }
        if (failure == null) {
            long total = written + length;
            long contentLength = committed ? committedLength : headers.getLongField(HttpHeader.CONTENT_LENGTH);
            if (contentLength >= 0 && total != contentLength) {
                if (total > contentLength) {
                    failure = new IOException("written %d > %d content-length".formatted(total, contentLength));
                } else if (last && !(total == 0 && head)) {
                    failure = new IOException("written %d < %d content-length".formatted(total, contentLength));
                }
            }
        }
        if (failure == null && lastWritten) {
            if (length == 0) {
                callback.succeeded();
                return;
            }
            failure = new IllegalStateException("last already written");
        }
        if (failure != null) {
            callback.failed(failure);
            return;
        }
        if (committed && !last && length == 0) {
            callback.succeeded();
            return;
        }
        written += length;
        lastWritten = last;
        MetaData.Response committing = null;
        if (!committed) {
            committed = true;
            if (status == 0) {
                status = HttpStatus.OK_200;
            }
            committedLength = headers.getLongField(HttpHeader.CONTENT_LENGTH);
            if (last && committedLength < 0) {
                committedLength = written;
                headers.put(HttpHeader.CONTENT_LENGTH, committedLength);
            }
            if (connection.shutdown()) {
                generator.setPersistent(false);
            }
            committing = new MetaData.Response(status, null, HttpVersion.HTTP_1_1, headers, committedLength, trailers);
        }
        this.info = committing;
        this.content = content;
        this.last = last;
        this.pending = callback;
        generate();
    }

    /** Frames and writes the write under way, as far as the socket takes it. */
    private void generate() {
        HttpConfiguration http = connection.http();
        try {
            while (true) {
                ByteBuffer headerBytes = header == null ? null : header.getByteBuffer();
                ByteBuffer chunkBytes = chunk == null ? null : chunk.getByteBuffer();
                HttpGenerator.Result result = generator.generateResponse(info, head, headerBytes, chunkBytes, content, last);
                switch (result) {
                    case NEED_INFO -> throw new EofException("request lifecycle violation");
                    case NEED_HEADER -> header = connection.buffers().acquire(
                            Math.min(http.getResponseHeaderSize(), http.getOutputBufferSize()),
                            http.isUseOutputDirectByteBuffers());
                    case HEADER_OVERFLOW -> {
                        if (header == null || header.capacity() >= http.getResponseHeaderSize()) {
                            throw new HttpException.RuntimeException(HttpStatus.INTERNAL_SERVER_ERROR_500,
                                    "Response header too large");
                        }
                        releaseHeader();
                        header = connection.buffers().acquire(http.getResponseHeaderSize(),
                                http.isUseOutputDirectByteBuffers());
                    }
                    case NEED_CHUNK -> chunk = connection.buffers().acquire(HttpGenerator.CHUNK_SIZE,
                            http.isUseOutputDirectByteBuffers());
                    case NEED_CHUNK_TRAILER -> {
                        releaseChunk();
                        chunk = connection.buffers().acquire(http.getResponseHeaderSize(),
                                http.isUseOutputDirectByteBuffers());
                    }
                    case FLUSH -> {
                        if (head || generator.isNoContent()) {
                            BufferUtil.clear(chunkBytes);
                            BufferUtil.clear(content);
                        }
                        if (flush(headerBytes, chunkBytes, content)) {
                            return;
                        }
                    }
                    case SHUTDOWN_OUT -> shutdownOut = true;
                    case DONE -> {
                        if (connection.shutdown() && generator.isEnd() && generator.isPersistent()) {
                            shutdownOut = true;
                        }
                        done();
                        return;
                    }
                    case CONTINUE -> {
                        // generate again
                    }
                    default -> throw new IllegalStateException("generateResponse=" + result);
                }
            }
        } catch (Throwable x) {
            writeFailed(x);
        }
    }

    /** Writes what is there to write, gathered; false when there was nothing. */
    private boolean flush(@Nullable ByteBuffer headerBytes, @Nullable ByteBuffer chunkBytes,
            @Nullable ByteBuffer body) {
        boolean h = BufferUtil.hasContent(headerBytes);
        boolean c = BufferUtil.hasContent(chunkBytes);
        boolean b = BufferUtil.hasContent(body);
        var endPoint = connection.getEndPoint();
        if (h && c && b) {
            endPoint.write(flushed, headerBytes, chunkBytes, body);
        } else if (h && c) {
            endPoint.write(flushed, headerBytes, chunkBytes);
        } else if (h && b) {
            endPoint.write(flushed, headerBytes, body);
        } else if (h) {
            endPoint.write(flushed, headerBytes);
        } else if (c && b) {
            endPoint.write(flushed, chunkBytes, body);
        } else if (c) {
            endPoint.write(flushed, chunkBytes);
        } else if (b) {
            endPoint.write(flushed, body);
        } else {
            return false;
        }
        return true;
    }

    private void done() {
        release();
        if (shutdownOut) {
            generator.setPersistent(false);
            connection.getEndPoint().shutdownOutput();
        }
        Callback callback = pending;
        boolean ended = last;
        info = null;
        content = null;
        pending = null;
        if (ended) {
            succeeded = true;
        }
        if (callback != null) {
            callback.succeeded();
        }
    }

    private void writeFailed(Throwable failure) {
        release();
        generator.setPersistent(false);
        writeFailure = failure;
        Callback callback = pending;
        info = null;
        content = null;
        pending = null;
        if (callback != null) {
            callback.failed(failure);
        }
    }

    private void release() {
        releaseHeader();
        releaseChunk();
    }

    private void releaseHeader() {
        RetainableByteBuffer held = header;
        if (held != null) {
            header = null;
            held.release();
        }
    }

    private void releaseChunk() {
        RetainableByteBuffer held = chunk;
        if (held != null) {
            chunk = null;
            held.release();
        }
    }

    @Override
    public String toString() {
        return "LeanResponse@" + Integer.toHexString(hashCode()) + "{" + status + "," + request + "}";
    }
}
