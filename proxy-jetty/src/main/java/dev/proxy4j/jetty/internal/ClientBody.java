package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body as the core sees it ({@link #read()} and {@link #demand(Runnable)}),
 * over the same reader the backend request is sent with ({@link #content()}): a filter may read
 * some of it and pass it on, and the backend gets what is left. Forwarding an untouched body costs
 * no chunk wrapping.
 */
final class ClientBody implements Body {

    private final RequestBody content;

    ClientBody(RequestBody content) {
        this.content = content;
    }

    /** The body as the content of the request to the backend. */
    RequestBody content() {
        return content;
    }

    @Override
    public long length() {
        return content.getLength();
    }

    @Override
    public @Nullable Chunk read() {
        return toCore(content.read());
    }

    @Override
    public void demand(Runnable onReady) {
        content.demand(onReady);
    }

    @Override
    public void fail(Throwable failure) {
        content.failClient(failure);
    }

    /** A Jetty chunk as a core chunk; releasing the core chunk releases the Jetty one. */
    static @Nullable Chunk toCore(Content.@Nullable Chunk chunk) {
        if (chunk == null) {
            return null;
        }
        if (Content.Chunk.isFailure(chunk)) {
            return Chunk.failed(chunk.getFailure());
        }
        if (chunk instanceof org.eclipse.jetty.http.Trailers trailers) {
            return Chunk.end(headers(trailers.getTrailers()));
        }
        if (!chunk.hasRemaining() && chunk.isLast()) {
            chunk.release();
            return Chunk.end();
        }
        return Chunk.of(chunk.getByteBuffer(), chunk.isLast(), chunk::release);
    }

    static Headers headers(HttpFields fields) {
        Headers.Builder headers = Headers.builder();
        for (HttpField field : fields) {
            headers.add(field.getName(), field.getValue());
        }
        return headers.build();
    }

    @Override
    public String toString() {
        return "ClientBody[" + (length() < 0 ? "chunked" : length() + " bytes") + ']';
    }
}
