package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The body of a backend's 101: no bytes, and the {@link Tunnel} behind it. Written to the client
 * as it is, the 101 switches the client's connection into the tunnel; a filter that replaces the
 * response or fails this body closes the backend's connection instead.
 */
final class TunnelBody implements Body {

    private final Tunnel tunnel;
    private final String protocol;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile boolean handedOver;

    TunnelBody(Tunnel tunnel, String protocol) {
        this.tunnel = tunnel;
        this.protocol = protocol;
    }

    Tunnel tunnel() {
        return tunnel;
    }

    /** The protocol the backend switched to, as its Upgrade header named it. */
    String protocol() {
        return protocol;
    }

    @Override
    public long length() {
        return 0;
    }

    @Override
    public @Nullable Chunk read() {
        return Chunk.end();
    }

    @Override
    public void demand(Runnable onReady) {
        onReady.run();
    }

    @Override
    public void fail(Throwable failure) {
        if (settled.compareAndSet(false, true)) {
            tunnel.abandon();
        }
    }

    /**
     * The 101 goes to the client: the tunnel will be the client's once it is written (if the write
     * fails, {@link Tunnel#abandon} closes it). False when the body was failed first.
     */
    boolean handOver() {
        handedOver = settled.compareAndSet(false, true);
        return handedOver;
    }

    /** Whether the 101 went to the client with the tunnel behind it. */
    boolean handedOver() {
        return handedOver;
    }

    /** Closes the backend's side unless the tunnel was handed over: called when the exchange ends. */
    void discardIfUnused() {
        fail(new IllegalStateException("101 not written"));
    }

    @Override
    public String toString() {
        return "TunnelBody[" + protocol + ']';
    }
}
