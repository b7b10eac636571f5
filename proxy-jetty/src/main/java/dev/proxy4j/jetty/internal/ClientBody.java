package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body as the core sees it ({@link #read()} and {@link #demand(Runnable)}),
 * over the same reader the backend request is sent with ({@link #content()}): a filter may read
 * some of it and pass it on, and the backend gets what is left. Forwarding an untouched body costs
 * no chunk wrapping.
 */
final class ClientBody implements Body {

    private final RequestBody content;
    private final Body view;
    private volatile @Nullable Throwable failed;
    private @Nullable BodyReplay replay;

    ClientBody(RequestBody content) {
        this.content = content;
        this.view = JettyBodies.fromSource(content);
    }

    /** The body as the content of the request to the backend. */
    RequestBody content() {
        return content;
    }

    /**
     * The body as the content of an attempt's request to the backend: the first attempt's makes
     * the replay, keeping up to {@code maxReplayBytes} (the upstream's policy) so that a later
     * attempt can send it again. Called on the request's loop, one attempt at a time.
     */
    org.eclipse.jetty.client.Request.Content attemptContent(long maxReplayBytes, java.util.concurrent.Executor loop) {
        BodyReplay r = replay;
        if (r == null) {
            r = new BodyReplay(content, maxReplayBytes, loop);
            replay = r;
        }
        return r.next();
    }

    /** True once the client's body has been read to its end, by whichever reader. */
    boolean readToEnd() {
        return content.ended();
    }

    /** True once no byte of the client's body is still to come ({@link RequestBody#allTaken()}). */
    boolean allTaken() {
        return content.allTaken();
    }

    /** True once a byte of the body was read to be sent. */
    boolean started() {
        return content.started();
    }

    /** True while another attempt could send the whole body again. */
    boolean replayable() {
        BodyReplay r = replay;
        return r == null ? !content.started() : r.replayable();
    }

    @Override
    public long length() {
        return content.getLength();
    }

    @Override
    public @Nullable Chunk read() {
        Throwable failure = failed;
        return failure != null ? Chunk.failed(failure) : view.read();
    }

    @Override
    public void demand(Runnable onReady) {
        view.demand(onReady);
    }

    /**
     * A reader gave up on the body (a filter replaced it): later reads give the failure. The client's
     * exchange goes on; Jetty deals with what is left unread when the response is complete.
     */
    @Override
    public void fail(Throwable failure) {
        if (failed == null) {
            failed = failure;
        }
    }

    @Override
    public String toString() {
        return "ClientBody[" + (length() < 0 ? "chunked" : length() + " bytes") + ']';
    }
}
