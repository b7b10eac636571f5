package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Content;

/** A backend's response body, still on the wire: the adapter copies it to the client chunk by chunk. */
final class UpstreamBody implements Body {

    private final Response serverToProxyResponse;
    private final Content.Source source;
    private final long length;

    UpstreamBody(Response serverToProxyResponse, Content.Source source, long length) {
        this.serverToProxyResponse = serverToProxyResponse;
        this.source = source;
        this.length = length;
    }

    Response response() {
        return serverToProxyResponse;
    }

    Content.Source source() {
        return source;
    }

    @Override
    public long length() {
        return length;
    }

    /** Drops the body unread, e.g. when a filter answered with a body of its own. */
    void discard(Throwable reason) {
        serverToProxyResponse.abort(reason);
    }

    @Override
    public String toString() {
        return "UpstreamBody[" + (length < 0 ? "chunked" : length + " bytes") + ']';
    }
}
