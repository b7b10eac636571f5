package dev.proxy4j.jetty.internal;

import dev.proxy4j.ratelimit.ConnectionCounts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server connector whose selector threads also carry the backend connections opened for the
 * requests they receive: an event loop per selector, as nginx has a worker per core. A request
 * that arrives on loop {@code i} is sent on a connection of loop {@code i}, and its response is
 * read and written back by the same thread, with no hand-off between threads on the way.
 *
 * <p>Backend connections are opened by a {@link LoopClientConnector} pinned to one loop; this
 * connector's selector manager tells them from accepted connections by their attachment, the
 * client connector's context map.
 */
final class LoopConnector extends ServerConnector {

    private static final Logger LOG = LoggerFactory.getLogger(LoopConnector.class);

    private final Map<ManagedSelector, Integer> loopOf = new ConcurrentHashMap<>();
    private final int firstLoop;
    private final ManagedSelector[] selectors;
    private final ThreadLocal<Pin> pin = new ThreadLocal<>();
    /** The thread each loop's selector last selected on: the loop's thread. */
    private final AtomicReferenceArray<Thread> loopThreads;
    /** Accepted connections still open, each with the address it counts against. */
    private final Map<SelectableChannel, InetAddress> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    /** Connection chores ({@link LoopChores}) run on a loop rather than handed to the pool. */
    private final java.util.concurrent.atomic.LongAdder choresOnLoops = new java.util.concurrent.atomic.LongAdder();
    private @Nullable ConnectionCounts counts;

    /**
     * @param firstLoop the number of this connector's first loop among all connectors' loops
     * @param loops how many loops (selector threads) this connector runs
     */
    LoopConnector(Server server, int firstLoop, int loops, ConnectionFactory... factories) {
        // No acceptor thread: a loop accepts, as nginx's workers do, saving a hand-off and a
        // selector wake-up per new connection.
        super(server, 0, loops, factories);
        this.firstLoop = firstLoop;
        this.selectors = new ManagedSelector[getSelectorManager().getSelectorCount()];
        this.loopThreads = new AtomicReferenceArray<>(selectors.length);
    }

    /**
     * Closes the listening socket, also when a loop accepts. Jetty closes it here only for
     * acceptor threads and otherwise just stops selecting it, which leaves it open through a
     * graceful stop: the kernel would still complete new connections that nobody accepts. A
     * draining proxy refuses them at once instead, so that clients and load balancers go elsewhere.
     */
    @Override
    public void close() {
        Object listening = getTransport();
        super.close();
        if (!(listening instanceof SelectableChannel channel)) {
            return;
        }
        if (channel.isRegistered() || !getSelectorManager().isRunning()) {
            IO.close(channel);
            return;
        }
        // Started and closed at once: the loop that accepts has not registered the socket yet, and
        // would log a failure when it found it closed. Each loop runs its pending updates in order,
        // so the socket is closed once every loop has run what was submitted before this.
        AtomicInteger loopsLeft = new AtomicInteger(selectors.length);
        for (ManagedSelector selector : selectors) {
            if (selector == null) {
                IO.close(channel);
                return;
            }
            selector.submit(ignored -> {
                if (loopsLeft.decrementAndGet() == 0) {
                    IO.close(channel);
                }
            });
        }
    }

    /**
     * True when the calling thread is the one running this connector's loop {@code loop} (counted
     * from 0): the thread that last selected for it. Best effort: should Jetty hand selecting to
     * another of the server's threads, a task may be hopped once more than needed, or run on the
     * server's thread that selected before; never on a thread that is not the server's.
     */
    boolean inLoop(int loop) {
        return loopThreads.get(loop) == Thread.currentThread();
    }

    /**
     * Runs {@code task} on loop {@code loop} (counted from 0), between two selects; from that loop's
     * own thread it runs after the tasks and I/O events already due.
     */
    void execute(int loop, Runnable task) {
        ManagedSelector selector = selectors[loop];
        if (selector == null) {
            throw new IllegalStateException("loop " + loop + " of " + this + " is not running");
        }
        selector.submit(ignored -> task.run());
    }

    /**
     * Holds accepted connections to the server's limits: one over {@code maxConnectionsPerIp} (counted
     * with every other connector sharing {@code counts}) or over {@code maxConnectionsPerListener}
     * (this connector's own) is closed at once, before any byte is read. Call before start.
     */
    void limitConnections(ConnectionCounts counts) {
        this.counts = counts;
    }

    /** How many connection chores ({@link LoopChores}) this connector's loops ran themselves. */
    long choresOnLoops() {
        return choresOnLoops.sum();
    }

    /** Connections this connector accepted and that are still open (counted against the limits). */
    int openConnections() {
        return openConnections.get();
    }

    /** Counts an accepted channel against the limits; false (nothing counted) when it is over one. */
    private boolean admit(SelectableChannel channel) {
        ConnectionCounts limits = counts;
        if (limits == null) {
            return true;
        }
        InetAddress address;
        try {
            address = ((InetSocketAddress) ((SocketChannel) channel).getRemoteAddress()).getAddress();
        } catch (IOException | RuntimeException e) {
            LOG.debug("accepted a connection whose peer is already gone", e);
            return false;
        }
        int max = limits.limits().maxConnectionsPerListener();
        for (;;) {
            int open = openConnections.get();
            if (max != 0 && open >= max) {
                LOG.debug("closed a connection from {}: {} open on {} (maxConnectionsPerListener {})",
                        address.getHostAddress(), open, this, max);
                return false;
            }
            if (openConnections.compareAndSet(open, open + 1)) {
                break;
            }
        }
        if (!limits.tryAcquire(address)) {
            openConnections.decrementAndGet();
            LOG.debug("closed a connection from {}: it holds {} (maxConnectionsPerIp {})", address.getHostAddress(),
                    limits.openFrom(address), limits.limits().maxConnectionsPerIp());
            return false;
        }
        admitted.put(channel, address);
        return true;
    }

    /** Gives an accepted channel's places back, once, however it ended. */
    private void released(@Nullable Object channel) {
        InetAddress address = channel == null ? null : admitted.remove(channel);
        ConnectionCounts limits = counts;
        if (address != null && limits != null) {
            openConnections.decrementAndGet();
            limits.release(address);
        }
    }

    /** The number of this connector's first loop among all connectors' loops. */
    int firstLoop() {
        return firstLoop;
    }

    /** How many loops this connector runs. */
    int loops() {
        return selectors.length;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new LoopSelectorManager(executor, scheduler, selectors);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        LoopEndPoint endPoint = new LoopEndPoint(channel, selector, key, getScheduler(),
                firstLoop + loopOf.getOrDefault(selector, 0));
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    @Override
    public void onEndPointOpened(EndPoint endPoint) {
        // Backend connections are not this connector's: they neither count nor hold up its shutdown.
        if (endPoint instanceof LoopEndPoint) {
            super.onEndPointOpened(endPoint);
        }
    }

    @Override
    public void onEndPointClosed(EndPoint endPoint) {
        if (endPoint instanceof LoopEndPoint) {
            super.onEndPointClosed(endPoint);
        }
    }

    /** Registers a channel a client connector opened with this connector's loop {@code loop} (counted from 0). */
    void register(int loop, LoopClientConnector connector, SelectableChannel channel, Object context, boolean connected) {
        pin.set(new Pin(loop, connector));
        try {
            if (connected) {
                getSelectorManager().accept(channel, context);
            } else {
                getSelectorManager().connect(channel, context);
            }
        } finally {
            pin.remove();
        }
    }

    /**
     * An accepted connection, and the loop it belongs to (counted over all connectors). After a
     * fill that found nothing, the next fill finds nothing too without a read(2): Jetty's
     * HttpConnection fills again at once after a fill of 0 (for TLS's sake, whose connection sits
     * above this endpoint). And once an HTTP/1.x response is written ({@link #responseWritten()}),
     * the fill Jetty makes for the next request finds nothing without a read(2): a client sends it
     * after reading the response, so that read would come back empty; a pipelining client's next
     * request, already there, is reported by the selector at once.
     */
    static final class LoopEndPoint extends QuietEndPoint {
        private final int loop;

        LoopEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler, int loop) {
            super(channel, selector, key, scheduler);
            this.loop = loop;
        }

        int loop() {
            return loop;
        }

        @Override
        void filled(int filled) {
            if (filled == 0) {
                assumeEmpty();
            }
        }

        /** The response to the last request read is written, and that request's body was read to its end. */
        void responseWritten() {
            assumeEmpty();
        }

        private @Nullable NextRequest nextRequest;

        /**
         * What reads {@code connection}'s next request when its bytes come: as Jetty's own fill
         * callback of the connection, which runs as the server's handlers do (on the loop when none
         * blocks); one per connection of this endpoint (a new one after an upgrade).
         */
        org.eclipse.jetty.util.Callback nextRequest(org.eclipse.jetty.server.internal.HttpConnection connection) {
            NextRequest next = nextRequest;
            if (next == null || next.connection != connection) {
                next = new NextRequest(connection, connection.getServer().getInvocationType());
                nextRequest = next;
            }
            return next;
        }

        private record NextRequest(org.eclipse.jetty.server.internal.HttpConnection connection,
                org.eclipse.jetty.util.thread.Invocable.InvocationType invocationType)
                implements org.eclipse.jetty.util.Callback {
            @Override
            public void succeeded() {
                connection.onFillable();
            }

            @Override
            public void failed(Throwable failure) {
                connection.onFillInterestedFailed(failure);
            }

            @Override
            public org.eclipse.jetty.util.thread.Invocable.InvocationType getInvocationType() {
                return invocationType;
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // The loops have stopped selecting: the buffers they kept go back to the server's pool.
        if (getByteBufferPool() instanceof LoopBufferPool buffers) {
            for (int i = 0; i < loopThreads.length(); i++) {
                Thread loop = loopThreads.getAndSet(i, null);
                if (loop != null) {
                    buffers.releaseKept(loop);
                }
            }
        }
    }

    private record Pin(int loop, LoopClientConnector connector) {
    }

    private final class LoopSelectorManager extends ServerConnectorManager {

        LoopSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
            super(executor, scheduler, selectors);
        }

        @Override
        protected ManagedSelector newSelector(int id) {
            ManagedSelector selector = new ManagedSelector(this, id) {
                @Override
                protected int select(java.nio.channels.Selector nioSelector) throws IOException {
                    // Whichever thread selects is the loop's thread until the next select.
                    Thread current = Thread.currentThread();
                    if (loopThreads.get(id) != current) {
                        loopThreads.lazySet(id, current);
                        if (LoopConnector.this.getByteBufferPool() instanceof LoopBufferPool buffers) {
                            buffers.adopt();
                        }
                    }
                    return super.select(nioSelector);
                }
            };
            loopOf.put(selector, id);
            selectors[id] = selector;
            return selector;
        }

        /**
         * Runs a selector's own chores for a connection on the loop that has them at hand instead of
         * handing each to the pool: setting up an accepted connection ({@code Accept}), a connected
         * backend connection ({@code CreateEndPoint}), and telling the listeners of a closed one
         * ({@code DestroyEndPoint}). Jetty executes them in case a connection factory or listener
         * blocks; the proxy's never do (they make objects and count). With two hand-offs per
         * connection, a client opening one per request kept about a hundred pool threads waking,
         * a fifth of the proxy's CPU samples. Other tasks, and these from any other thread (the
         * scheduler's, closing an idle connection), go to the pool. So do they all once the server
         * is stopping: closing a TLS connection runs its chore with the TLS endpoint's lock held,
         * and an HTTP/2 connection's listener then takes the lock of Jetty's session container,
         * which the stopping thread holds while it writes each session's GOAWAY through that same
         * endpoint (a deadlock in TlsTest's stop; Jetty's own hand-off to the pool avoids it).
         */
        @Override
        protected void execute(Runnable task) {
            if (LoopChores.isChore(task) && onLoopThread() && !serverStopping()) {
                choresOnLoops.increment();
                task.run();
                return;
            }
            super.execute(task);
        }

        private boolean serverStopping() {
            org.eclipse.jetty.server.Server server = getServer();
            return server == null || !server.isRunning();
        }

        private boolean onLoopThread() {
            Thread current = Thread.currentThread();
            for (int i = 0; i < loopThreads.length(); i++) {
                if (loopThreads.get(i) == current) {
                    return true;
                }
            }
            return false;
        }

        @Override
        protected ManagedSelector chooseSelector() {
            Pin pinned = pin.get();
            return pinned != null ? selectors[pinned.loop()] : super.chooseSelector();
        }

        @Override
        public long getConnectTimeout() {
            // Read by the selector's Connect when a client connector registers a channel.
            Pin pinned = pin.get();
            return pinned != null ? pinned.connector().getConnectTimeout().toMillis() : super.getConnectTimeout();
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key)
                throws IOException {
            if (key.attachment() instanceof Map<?, ?> context) {
                return (SocketChannelEndPoint) connector(context).newClientEndPoint(channel, selector, key);
            }
            return super.newEndPoint(channel, selector, key);
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) throws IOException {
            if (attachment instanceof Map<?, ?> context) {
                return connector(context).newClientConnection(endPoint, context);
            }
            return super.newConnection(channel, endPoint, attachment);
        }

        @Override
        public void connectionOpened(Connection connection, Object context) {
            if (!(context instanceof Map<?, ?> map)) {
                super.connectionOpened(connection, context);
                return;
            }
            @SuppressWarnings("unchecked")
            Promise<Connection> promise = (Promise<Connection>) map.get(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY);
            try {
                super.connectionOpened(connection, context);
                promise.succeeded(connection);
            } catch (Throwable x) {
                promise.failed(x);
            }
        }

        @Override
        protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            if (attachment instanceof Map<?, ?> context) {
                connector(context).clientConnectFailed(channel, failure, context);
                return;
            }
            super.connectionFailed(channel, failure, attachment);
        }

        @Override
        public void accept(SelectableChannel channel, Object attachment) {
            // Accepted from the listening socket (a client connector's channels carry a context).
            if (attachment == null && !admit(channel)) {
                IO.close(channel);
                return;
            }
            super.accept(channel, attachment);
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            super.endPointClosed(endPoint);
            if (endPoint instanceof LoopEndPoint) {
                released(endPoint.getTransport());
            }
        }

        @Override
        protected void onAcceptFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            super.onAcceptFailed(channel, failure, attachment);
            if (attachment == null) {
                released(channel);
            }
            if (attachment instanceof Map<?, ?> context) {
                connector(context).clientAcceptFailed(channel, failure, context);
            }
        }

        private LoopClientConnector connector(Map<?, ?> context) {
            return (LoopClientConnector) context.get(ClientConnector.CONTEXT_KEY);
        }
    }
}
