package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/** A core {@link Body} a filter made, as the content Jetty's client sends to the backend. */
final class CoreContent implements org.eclipse.jetty.client.Request.Content {

    private final Body body;
    private final Content.Source source;
    private volatile boolean started;

    CoreContent(Body body) {
        this.body = body;
        this.source = JettyBodies.toSource(body);
    }

    @Override
    public long getLength() {
        return body.length();
    }

    /** True once Jetty's client has taken anything from the body. */
    boolean started() {
        return started;
    }

    @Override
    public Content.@Nullable Chunk read() {
        started = true;
        return source.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        source.fail(failure);
    }

    /** None of its own: the request's headers say it, or the backend gets none (Jetty's default would be invented). */
    @Override
    public @Nullable String getContentType() {
        return null;
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
