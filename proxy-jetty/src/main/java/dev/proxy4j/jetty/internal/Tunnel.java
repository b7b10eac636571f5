package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.jspecify.annotations.Nullable;

/**
 * A switched connection carried as raw bytes: once the backend answered 101 and the client got it,
 * the client's connection and the backend's are each given a {@link Side} that copies what it reads
 * to the other, with backpressure (the next read waits for the write), half-closes passed on (end
 * of input on one side shuts the other's output), and either side's close or failure closing both.
 * The bytes are not looked at: WebSocket frames, extensions and all, go end to end.
 *
 * <p>Bytes flow once both sides are open, in whichever order they open: for an upgrade, the
 * backend's side is made when its 101 arrives and waits, reading nothing, until the client's side
 * opens (if the client's never does, the 101 was not written, {@link #abandon} closes it); for a
 * TCP listener, the client's side opens first and the backend's once it is connected.
 * {@code onEnd} runs once, when the backend's side has closed, with the tunnel's facts.
 */
final class Tunnel {

    /** Copied per read: the size of one buffer from the pool, taken only while bytes are moving. */
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ByteBufferPool pool;
    private final Executor executor;
    private final Duration idleTimeout;
    private final long began = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile @Nullable Consumer<Tunnel> onEnd;
    private volatile @Nullable Consumer<ByteBuffer> onClientBytes;
    private volatile @Nullable Side backend;
    private volatile @Nullable Side client;
    private volatile boolean started;
    private final AtomicBoolean starting = new AtomicBoolean();
    private volatile @Nullable OpenTunnels open;

    /** {@code idleTimeout}: the longest silence both ways before the tunnel is closed; zero keeps the connections' own. */
    Tunnel(ByteBufferPool pool, Executor executor, Duration idleTimeout) {
        this.pool = pool;
        this.executor = executor;
        this.idleTimeout = idleTimeout;
    }

    /** Takes the backend's connection over: nothing is read from it until the client's side opens. */
    void attachBackend(EndPoint endPoint) {
        endPoint.upgrade(backendSide(endPoint));
    }

    /** The connection of a backend endpoint being connected (TCP): the tunnel starts once it opens. */
    AbstractConnection backendSide(EndPoint endPoint) {
        Side side = new Side(endPoint, true);
        backend = side;
        return side;
    }

    /** The connection Jetty switches the client's endpoint to once the 101 is written. */
    AbstractConnection clientSide(EndPoint endPoint) {
        Side side = new Side(endPoint, false);
        client = side;
        return side;
    }

    /** Bytes the backend gets before any of the client's (a PROXY protocol header). Before the tunnel starts. */
    void sendToBackendFirst(ByteBuffer bytes) {
        Side side = client;
        if (side == null || started) {
            throw new IllegalStateException("sendToBackendFirst before the client's side, or after the start");
        }
        ByteBuffer already = side.prefilled;
        if (already == null || !already.hasRemaining()) {
            side.prefilled = bytes;
        } else {
            // Before what the client's side read ahead (a ClientHello a detector looked at).
            ByteBuffer both = ByteBuffer.allocate(bytes.remaining() + already.remaining());
            both.put(bytes.duplicate()).put(already.duplicate()).flip();
            side.prefilled = both;
        }
    }

    /**
     * Runs with the bytes the client's side was handed when it took the connection over (read
     * before the switch, e.g. a ClientHello a detector looked at), before any is written on.
     */
    void onClientBytes(Consumer<ByteBuffer> action) {
        onClientBytes = action;
    }

    /** Closes the client's side: no backend could be reached for it. */
    void refuse(Throwable cause) {
        Side side = client;
        if (side != null) {
            side.getEndPoint().close(cause);
        }
    }

    /** Counts the tunnel in {@code open} from the moment bytes flow until it ends; call before it starts. */
    Tunnel countIn(OpenTunnels open) {
        this.open = open;
        return this;
    }

    /** Runs once, when the tunnel is over (at once if it already is). */
    void onEnd(Consumer<Tunnel> action) {
        onEnd = action;
        if (ended.get()) {
            action.accept(this);
        }
    }

    /** Closes both connections: the server is stopping. */
    void close() {
        Side side = client;
        if (side != null) {
            side.getEndPoint().close();
        }
        side = backend;
        if (side != null) {
            side.getEndPoint().close();
        }
    }

    /** Closes the backend's side when the client's will not open: the 101 never reached the client. */
    void abandon() {
        Side side = backend;
        if (side != null && !started) {
            side.getEndPoint().close();
        }
    }

    long bytesFromClient() {
        Side side = client;
        return side == null ? 0 : side.bytes;
    }

    long bytesFromBackend() {
        Side side = backend;
        return side == null ? 0 : side.bytes;
    }

    Duration duration() {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** Once both sides are open, whichever opened last: bytes start to flow. */
    private void startWhenBothOpen() {
        Side from = client;
        Side to = backend;
        if (from == null || to == null || !from.opened || !to.opened || !starting.compareAndSet(false, true)) {
            return;
        }
        if (!idleTimeout.isZero()) {
            from.getEndPoint().setIdleTimeout(idleTimeout.toMillis());
            to.getEndPoint().setIdleTimeout(idleTimeout.toMillis());
        }
        started = true;
        OpenTunnels counter = open;
        if (counter != null) {
            counter.opened(this);
            if (ended.get()) {
                counter.closed(this);
            }
        }
        from.peer = to;
        to.peer = from;
        from.pump.iterate();
        to.pump.iterate();
    }

    private void sideClosed(Side side) {
        if (side.backendSide && ended.compareAndSet(false, true)) {
            OpenTunnels counter = open;
            if (counter != null) {
                counter.closed(this);
            }
            Consumer<Tunnel> action = onEnd;
            if (action != null) {
                action.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return "Tunnel[" + client + " <-> " + backend + ']';
    }

    /**
     * An HTTP/2 stream carrying a tunnel (RFC 8441) leaves its session once closed. Jetty's stream
     * endpoint (12.1) marks the stream closed when it closes but does not remove it from the session,
     * and a closed stream is skipped when the session fails its streams: unless the client's next
     * frame on it draws a reset, the session counts it for good, which takes a slot of the
     * connection's stream limit and holds a graceful stop for its whole timeout. Removing a stream
     * that is not in the session (the usual case: both ends' END_STREAM took it out) does nothing.
     */
    private static void forgetStream(EndPoint endPoint) {
        if (endPoint.getTransport() instanceof HTTP2Stream stream && stream.isClosed()) {
            stream.getSession().removeStream(stream);
        }
    }

    /** One connection of the tunnel: reads from its endpoint, writes to its peer's. */
    private final class Side extends AbstractConnection implements Connection.UpgradeTo {
        private final boolean backendSide;
        private final Pump pump = new Pump();
        /** Bytes the connection read before the switch (or a header for the backend), written to the peer first. */
        private volatile @Nullable ByteBuffer prefilled;
        private volatile @Nullable Side peer;
        private volatile boolean opened;
        /** Bytes read from this side; written by the pump only. */
        private volatile long bytes;

        Side(EndPoint endPoint, boolean backendSide) {
            super(endPoint, executor);
            this.backendSide = backendSide;
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            if (BufferUtil.hasContent(buffer)) {
                prefilled = buffer;
                Consumer<ByteBuffer> action = onClientBytes;
                if (!backendSide && action != null) {
                    action.accept(buffer.asReadOnlyBuffer());
                }
            }
        }

        @Override
        public void onOpen() {
            super.onOpen();
            opened = true;
            startWhenBothOpen();
        }

        @Override
        public void onFillable() {
            pump.iterate();
        }

        @Override
        public void onClose(@Nullable Throwable cause) {
            super.onClose(cause);
            forgetStream(getEndPoint());
            Side other = peer;
            if (other != null) {
                other.getEndPoint().close(cause);
            }
            sideClosed(this);
        }

        void closeBoth(Throwable cause) {
            getEndPoint().close(cause);
            Side other = peer;
            if (other != null) {
                other.getEndPoint().close(cause);
            }
        }

        /** Read, write to the peer, wait for the write, read again; on end of input, shut the peer's output. */
        private final class Pump extends IteratingCallback {
            private @Nullable RetainableByteBuffer buffer;

            @Override
            protected Action process() {
                Side to = peer;
                if (to == null) {
                    return Action.IDLE;
                }
                ByteBuffer early = prefilled;
                if (early != null) {
                    prefilled = null;
                    bytes += early.remaining();
                    to.getEndPoint().write(this, early);
                    return Action.SCHEDULED;
                }
                RetainableByteBuffer acquired = pool.acquire(BUFFER_SIZE, true);
                buffer = acquired;
                int filled;
                try {
                    filled = getEndPoint().fill(acquired.getByteBuffer());
                } catch (IOException e) {
                    release();
                    closeBoth(e);
                    return Action.SUCCEEDED;
                }
                if (filled > 0) {
                    bytes += filled;
                    to.getEndPoint().write(this, acquired.getByteBuffer());
                    return Action.SCHEDULED;
                }
                release();
                if (filled == 0) {
                    fillInterested(this);
                    return Action.SCHEDULED;
                }
                to.getEndPoint().shutdownOutput();
                return Action.SUCCEEDED;
            }

            @Override
            protected void onSuccess() {
                release();
            }

            @Override
            protected void onCompleteFailure(Throwable cause) {
                release();
                closeBoth(cause);
            }

            private void release() {
                RetainableByteBuffer held = buffer;
                if (held != null) {
                    buffer = null;
                    held.release();
                }
            }

            /** Nothing here blocks: the selector runs it, no hop to another thread. */
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        }
    }
}
