package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Components;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request a {@link LeanHttp11Server} serves itself, as the server's handlers see it, and the
 * callback they complete it with. It has no body ({@link #read()} is the end at once), no trailers
 * and no tunnel. Completing it ends the response as Jetty's own channel does: a handler that
 * succeeds without its last write gets it written; one that fails before the response is
 * committed gets the server's error response; one that fails after, or leaves the body shorter
 * than its Content-Length, has the connection closed (the client sees the response cut short, not
 * a complete one).
 */
final class LeanExchange implements Request, Callback {

    private static final Logger LOG = LoggerFactory.getLogger(LeanExchange.class);

    private final LeanHttp11Server connection;
    private final String id;
    private final String method;
    private final HttpURI uri;
    private final HttpFields headers;
    private final long length;
    private final long begin;
    private final long headersAt;
    private final LeanResponse response;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Attributes.Lazy attributes = new Attributes.Lazy();
    private @Nullable List<Predicate<TimeoutException>> idleListeners;
    private @Nullable List<Consumer<Throwable>> failureListeners;
    private volatile boolean failed;

    LeanExchange(LeanHttp11Server connection, String id, String method, HttpURI uri, HttpFields headers, long length,
            long begin) {
        this.connection = connection;
        this.id = id;
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.length = length;
        this.begin = begin;
        this.headersAt = System.nanoTime();
        this.response = new LeanResponse(this, connection, HttpMethod.HEAD.is(method));
    }

    LeanResponse response() {
        return response;
    }

    // Callback: the handler's end of the request.

    @Override
    public void succeeded() {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        if (response.writing()) {
            failHandling(new IllegalStateException("write pending"));
            return;
        }
        if (!response.hasLastWrite()) {
            // The handler is done and wrote no last part: the response ends here, as Jetty's does.
            response.write(true, null, Callback.from(this::ended, this::abort));
            return;
        }
        ended();
    }

    @Override
    public void failed(Throwable failure) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        failHandling(failure);
    }

    private void failHandling(Throwable failure) {
        if (connection.generator.isCommitted() || response.writing()) {
            // Bytes of the response are out (or going): the client can only see it cut short.
            abort(failure);
            return;
        }
        // Nothing is on the wire (a head too large to frame fails before it is): an error response can still go.
        connection.generator.reset();
        connection.generator.setPersistent(false);
        response.resetForError();
        // The server's error handler answers, as for any failed request (ErrorResponses).
        org.eclipse.jetty.server.Response.writeError(this, response, Callback.from(() -> connection.completed(this, false), this::abort),
                failure);
    }

    private void ended() {
        if (!response.isCompletedSuccessfully() || !response.lengthKept()) {
            abort(new IOException("response shorter than its Content-Length"));
            return;
        }
        connection.completed(this, true);
    }

    private void abort(Throwable failure) {
        LOG.debug("response to {} {} aborted", method, uri, failure);
        connection.generator.setPersistent(false);
        connection.getEndPoint().close(failure);
        connection.completed(this, false);
    }

    @Override
    public InvocationType getInvocationType() {
        return Invocable.InvocationType.NON_BLOCKING;
    }

    /** The connection's idle timeout ran out while this request was being served; on the loop. */
    void idleTimeout(TimeoutException timeout) {
        if (response.writing()) {
            // As Jetty's channel does: a write the client has not taken for a whole idle timeout
            // fails whatever the listeners say; the connection closes, and the exchange hears of it.
            response.failWrite(timeout);
            return;
        }
        if (completed.get() || failed) {
            return;
        }
        if (anyTimesOut(idleListeners, timeout)) {
            connectionFailed(timeout);
        }
    }

    /** The connection closed under this request. */
    void connectionClosed(Throwable cause) {
        if (!completed.get()) {
            connectionFailed(cause);
        }
    }

    private void connectionFailed(Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        tell(failureListeners, cause);
    }

    // Request

    @Override
    public String getId() {
        return id;
    }

    @Override
    public Components getComponents() {
        return connection;
    }

    @Override
    public ConnectionMetaData getConnectionMetaData() {
        return connection;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public HttpURI getHttpURI() {
        return uri;
    }

    @Override
    public Context getContext() {
        return connection.server().getContext();
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public void demand(Runnable demandCallback) {
        // No body: its end is there now.
        demandCallback.run();
    }

    @Override
    public @Nullable HttpFields getTrailers() {
        return null;
    }

    @Override
    public long getBeginNanoTime() {
        return begin;
    }

    @Override
    public long getHeadersNanoTime() {
        return headersAt;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public Content.Chunk read() {
        return Content.Chunk.EOF;
    }

    @Override
    public boolean consumeAvailable() {
        return true;
    }

    @Override
    public void fail(Throwable failure) {
        // Nothing to read that could fail.
    }

    @Override
    public void addIdleTimeoutListener(Predicate<TimeoutException> onIdleTimeout) {
        idleListeners = add(idleListeners, onIdleTimeout);
    }

    @Override
    public void addFailureListener(Consumer<Throwable> onFailure) {
        failureListeners = add(failureListeners, onFailure);
    }

    @Override
    public @Nullable TunnelSupport getTunnelSupport() {
        return null;
    }

    @Override
    public void addHttpStreamWrapper(Function<HttpStream, HttpStream> wrapper) {
        throw new UnsupportedOperationException("a lean HTTP/1.1 request has no stream to wrap");
    }

    @Override
    public @Nullable Session getSession(boolean create) {
        return null;
    }

    @Override
    public @Nullable Object removeAttribute(String name) {
        return attributes.removeAttribute(name);
    }

    @Override
    public @Nullable Object setAttribute(String name, Object attribute) {
        return attributes.setAttribute(name, attribute);
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return attributes.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNameSet() {
        return attributes.getAttributeNameSet();
    }

    @Override
    public void clearAttributes() {
        attributes.clearAttributes();
    }

    @Override
    public String toString() {
        return "LeanExchange@" + Integer.toHexString(hashCode()) + "{" + method + " " + uri + "}";
    }

    /** Listeners a request added, called on the loop. */
    private static <T> List<T> add(@Nullable List<T> list, T item) {
        List<T> to = list == null ? new ArrayList<>(2) : list;
        to.add(item);
        return to;
    }

    private static boolean anyTimesOut(@Nullable List<Predicate<TimeoutException>> listeners, TimeoutException timeout) {
        if (listeners == null || listeners.isEmpty()) {
            return true;
        }
        boolean fail = false;
        for (Predicate<TimeoutException> listener : listeners) {
            fail |= listener.test(timeout);
        }
        return fail;
    }

    private static void tell(@Nullable List<Consumer<Throwable>> listeners, Throwable failure) {
        if (listeners != null) {
            for (Consumer<Throwable> listener : listeners) {
                try {
                    listener.accept(failure);
                } catch (RuntimeException e) {
                    LOG.debug("a failure listener failed", e);
                }
            }
        }
    }
}
