package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The client's request body as the body of the request to the backend: read chunk by chunk on
 * demand, so nothing is buffered beyond what is in flight. Counts bytes against the body limit and
 * fails the stream with {@link BodyTooLargeException} when a body without Content-Length grows past
 * it, or when its chunk sizes announce more ({@link BodyLimitHttpConnectionFactory}); a body Jetty
 * could not parse fails it with {@link MalformedRequestBody}, the client's fault.
 */
final class RequestBody implements org.eclipse.jetty.client.Request.Content {

    private final Request clientToProxyRequest;
    private final long limit;
    private final dev.proxy4j.log.RequestLogBuilder log;
    private final org.eclipse.jetty.io.Connection connection;
    /** Bytes of the body read so far; written by one reader at a time, read by the exchange too. */
    private volatile long read;
    private volatile boolean started;
    /** True once the body's last chunk (its end, or a failure) has been read. */
    private volatile boolean ended;
    /** The client's trailers, once the chunk that carries them has been read (HTTP/2, or chunked HTTP/1.1). */
    private volatile org.eclipse.jetty.http.@org.jspecify.annotations.Nullable HttpFields trailers;

    RequestBody(Request clientToProxyRequest, long limit, dev.proxy4j.log.RequestLogBuilder log) {
        this.clientToProxyRequest = clientToProxyRequest;
        this.limit = limit;
        this.log = log;
        this.connection = clientToProxyRequest.getConnectionMetaData().getConnection();
    }

    /** The client's request trailers, when its body has ended with some; null until then or without. */
    org.eclipse.jetty.http.@org.jspecify.annotations.Nullable HttpFields trailers() {
        return trailers;
    }

    /** True once any byte of the body may have been taken from the client (and so sent on). */
    boolean started() {
        return started;
    }

    /** True once the body has been read to its end (or its failure): nothing of it is left on the connection. */
    boolean ended() {
        return ended;
    }

    /**
     * True once nothing of the body is left to come from the client: its end was read, or every
     * byte its Content-Length announced was (the end that follows is then Jetty's own, from bytes
     * it already has, and the connection can carry a next request).
     */
    boolean allTaken() {
        long length = getLength();
        return ended || (length >= 0 && read == length);
    }

    @Override
    public long getLength() {
        return clientToProxyRequest.getLength();
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = clientToProxyRequest.read();
        if (chunk != null) {
            started = true;
            if (chunk.isLast()) {
                ended = true;
            }
            if (Content.Chunk.isFailure(chunk)) {
                return clientFailure(chunk);
            }
        }
        if (BodyLimitHttpConnectionFactory.announced(connection) > limit) {
            if (chunk != null) {
                chunk.release();
            }
            return tooLarge();
        }
        if (chunk != null && chunk.hasRemaining()) {
            read += chunk.remaining();
            log.addRequestBodyBytes(chunk.remaining());
            if (read > limit) {
                chunk.release();
                return tooLarge();
            }
        }
        if (chunk instanceof org.eclipse.jetty.http.Trailers last) {
            trailers = last.getTrailers();
        }
        if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
            long declared = clientToProxyRequest.getLength();
            if (declared >= 0 && read < declared) {
                // HTTP/2 HEADERS or DATA that end the stream before the content-length they declared:
                // the backend was promised more bytes than will come, the client's fault.
                chunk.release();
                return Content.Chunk.from(new MalformedRequestBody(new java.io.EOFException(
                        "request body ended after " + read + " of " + declared + " bytes")), true);
            }
        }
        return chunk;
    }

    private Content.Chunk tooLarge() {
        BodyTooLargeException failure = new BodyTooLargeException(limit);
        clientToProxyRequest.fail(failure);
        return Content.Chunk.from(failure, true);
    }

    /** Jetty could not parse the body (bad chunk framing): the client's fault, 400; a 413 of Jetty's stays one. */
    private Content.Chunk clientFailure(Content.Chunk failed) {
        Throwable failure = failed.getFailure();
        if (failure instanceof HttpException http && http.getCode() == 413) {
            return tooLarge();
        }
        if (failure instanceof HttpException http && http.getCode() == 400) {
            return Content.Chunk.from(new MalformedRequestBody(failure), true);
        }
        return failed;
    }

    @Override
    public void demand(Runnable demandCallback) {
        clientToProxyRequest.demand(demandCallback);
    }

    /**
     * The exchange with the backend failed. The client's request is left as it is: the proxy still
     * answers it (an error status, or another endpoint when nothing was read), and Jetty deals with
     * any body left unread when that response completes.
     */
    @Override
    public void fail(Throwable failure) {
        // Nothing to do: see above.
    }

    /** None of its own: the client's Content-Type, if it sent one, is among the forwarded headers. */
    @Override
    public @org.jspecify.annotations.Nullable String getContentType() {
        return null;
    }

    @Override
    public boolean rewind() {
        return !started;
    }
}
