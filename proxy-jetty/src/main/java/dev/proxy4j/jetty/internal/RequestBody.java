package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The client's request body as the body of the request to the backend: read chunk by chunk on
 * demand, so nothing is buffered beyond what is in flight. Counts bytes against the body limit and
 * fails the stream with {@link BodyTooLargeException} when a body without Content-Length grows past it.
 */
final class RequestBody implements org.eclipse.jetty.client.Request.Content {

    private final Request clientToProxyRequest;
    private final long limit;
    private final dev.proxy4j.log.RequestLogBuilder log;
    private long read;
    private volatile boolean started;

    RequestBody(Request clientToProxyRequest, long limit, dev.proxy4j.log.RequestLogBuilder log) {
        this.clientToProxyRequest = clientToProxyRequest;
        this.limit = limit;
        this.log = log;
    }


    /** True once any byte of the body may have been taken from the client (and so sent on). */
    boolean started() {
        return started;
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
        }
        if (chunk != null && chunk.hasRemaining()) {
            read += chunk.remaining();
            log.addRequestBodyBytes(chunk.remaining());
            if (read > limit) {
                chunk.release();
                BodyTooLargeException failure = new BodyTooLargeException(limit);
                clientToProxyRequest.fail(failure);
                return Content.Chunk.from(failure, true);
            }
        }
        return chunk;
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

    @Override
    public String getContentType() {
        return clientToProxyRequest.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }

    @Override
    public boolean rewind() {
        return !started;
    }
}
