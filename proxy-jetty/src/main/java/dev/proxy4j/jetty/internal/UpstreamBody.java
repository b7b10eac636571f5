package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.log.RequestLogBuilder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * A backend's response body, still on the wire. Written to the client unchanged, the adapter copies
 * it from Jetty's source to the client chunk by chunk; a filter may read it as a core {@link Body}
 * instead (each Jetty chunk is handed over without a copy, and released with the core chunk).
 */
final class UpstreamBody implements Body {

    /** The exchange the body belongs to: where its trailers come from and how it is aborted. */
    interface Exchange {
        org.eclipse.jetty.http.@Nullable HttpFields trailers();

        void abortBody(Throwable failure);

        /** A failure while copying the body, as the proxy reports it. */
        dev.proxy4j.upstream.UpstreamFailure classify(Throwable failure);
    }

    private final Exchange serverToProxyResponse;
    private final HttpFields headers;
    private final Content.Source source;
    /** The most read from the wire to free a body: beyond it, the connection is cut instead. */
    private static final long DRAIN_LIMIT = 64 * 1024;

    private final long length;
    private final Body view;
    private volatile boolean ended;

    /** @param headers the response's head, as {@code serverToProxyResponse.getHeaders()} gave it (Jetty makes a new view per call) */
    UpstreamBody(Exchange serverToProxyResponse, HttpFields headers, Content.Source source, long length) {
        this.serverToProxyResponse = serverToProxyResponse;
        this.headers = headers;
        this.source = source;
        this.length = length;
        // Jetty's client hands the backend's trailers over on the response, not in the source.
        this.view = JettyBodies.fromSource(source, length, serverToProxyResponse::trailers);
    }

    Exchange response() {
        return serverToProxyResponse;
    }

    /** The backend's response head. */
    HttpFields headers() {
        return headers;
    }

    Content.Source source() {
        return source;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public @Nullable Chunk read() {
        Chunk chunk = view.read();
        if (chunk != null && chunk.isLast()) {
            ended = true;
        }
        return chunk;
    }

    @Override
    public void demand(Runnable onReady) {
        view.demand(onReady);
    }

    @Override
    public void fail(Throwable failure) {
        ended = true;
        drainThenAbort(failure);
    }

    /**
     * Reads and releases what the backend already sent (up to {@link #DRAIN_LIMIT} bytes), then
     * aborts, unless that reached the end (the connection then goes back to the pool). Jetty's
     * HTTP/1.1 receiver keeps its network buffer while nobody reads, and an abort then does not
     * give it back (jetty/jetty.project#12934): reading first lets the receiver release it.
     */
    private void drainThenAbort(Throwable failure) {
        long drained = 0;
        while (drained < DRAIN_LIMIT) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                break;
            }
            drained += chunk.remaining();
            boolean end = chunk.isLast();
            chunk.release();
            if (end) {
                if (Content.Chunk.isFailure(chunk)) {
                    break;
                }
                return;
            }
        }
        serverToProxyResponse.abortBody(failure);
    }

    /** Marks the body as read to its end by the adapter's own copy. */
    void copied() {
        ended = true;
    }

    /**
     * Frees the backend's connection from a body nobody read to the end: a filter replaced it and
     * let it be. Called when the client's exchange ends; does nothing for a body that ended.
     */
    void discardIfUnread(RequestLogBuilder log) {
        if (!ended) {
            ended = true;
            drainThenAbort(new IllegalStateException("response body of " + log.requestId()
                    + " left unread by the filters"));
        }
    }

    @Override
    public String toString() {
        return "UpstreamBody[" + (length < 0 ? "chunked" : length + " bytes") + ']';
    }
}
