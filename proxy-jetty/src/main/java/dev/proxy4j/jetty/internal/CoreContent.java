package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * A core {@link Body} a filter made as a Jetty source: the content Jetty's client sends to the
 * backend, or what is copied to the client. Trailers on its last chunk are kept for
 * {@link #trailers()}.
 */
final class CoreContent implements org.eclipse.jetty.client.Request.Content {

    private final Body body;
    private volatile org.eclipse.jetty.http.@Nullable HttpFields trailers;

    /** The trailers the body ended with, or null. */
    org.eclipse.jetty.http.@Nullable HttpFields trailers() {
        return trailers;
    }

    CoreContent(Body body) {
        this.body = body;
    }

    @Override
    public long getLength() {
        return body.length();
    }

    @Override
    public Content.@Nullable Chunk read() {
        Chunk chunk = body.read();
        if (chunk == null) {
            return null;
        }
        Throwable failure = chunk.failure();
        if (failure != null) {
            return Content.Chunk.from(failure, true);
        }
        dev.proxy4j.http.Headers coreTrailers = chunk.trailers();
        if (coreTrailers != null) {
            org.eclipse.jetty.http.HttpFields.Mutable fields = org.eclipse.jetty.http.HttpFields.build();
            coreTrailers.forEach(h -> fields.add(h.name(), h.value()));
            trailers = fields.asImmutable();
        }
        if (!chunk.hasRemaining()) {
            chunk.release();
            return chunk.isLast() ? Content.Chunk.EOF : Content.Chunk.EMPTY;
        }
        return Content.Chunk.from(chunk.data(), chunk.isLast(), chunk::release);
    }

    @Override
    public void demand(Runnable demandCallback) {
        body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        body.fail(failure);
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
