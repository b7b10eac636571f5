package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import dev.proxy4j.metrics.ProxyMetrics;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.Transport;
import org.jspecify.annotations.Nullable;

/**
 * A client connector with no selector threads of its own: the connections it opens are carried by
 * one loop of a {@link LoopConnector}, the loop whose requests they serve.
 */
final class LoopClientConnector extends ClientConnector {

    /** Where a connect without Jetty's destination (the lean client's) names its endpoint, {@code host:port}. */
    static final String ENDPOINT = "proxy4j.endpoint";

    /** Where the connect's start time is kept, in the connect's context. */
    private static final String CONNECT_BEGIN = "proxy4j.connectBegin";

    private final LoopConnector loops;
    private final int loop;
    private final String upstream;
    private final @Nullable ProxyMetrics metrics;

    /** {@code metrics}, when on, are told each connect's time for {@code upstream}. */
    LoopClientConnector(LoopConnector loops, int loop, String upstream, @Nullable ProxyMetrics metrics) {
        this.loops = loops;
        this.loop = loop;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    /** True on the thread of the loop that carries this connector's connections. */
    boolean inLoop() {
        return loops.inLoop(loop);
    }

    /** Runs {@code task} on the loop that carries this connector's connections. */
    void execute(Runnable task) {
        loops.execute(loop, task);
    }

    @Override
    public void connect(SocketAddress address, Map<String, Object> context) {
        if (metrics != null) {
            context.put(CONNECT_BEGIN, System.nanoTime());
        }
        super.connect(address, context);
    }

    /** Every failed connect comes here: refused at once in {@link #connect}, or later on the loop. */
    @Override
    protected void connectFailed(SelectableChannel channel, SocketAddress address, Throwable failure,
            Map<String, Object> context) {
        connected(context, false);
        super.connectFailed(channel, address, failure, context);
    }

    /** Tells the metrics how long the connect took, once per connection. */
    private void connected(Map<?, ?> context, boolean connected) {
        ProxyMetrics m = metrics;
        if (m == null || !(context.remove(CONNECT_BEGIN) instanceof Long begin)) {
            return;
        }
        try {
            m.onBackendConnect(upstream, endpoint(context), System.nanoTime() - begin, connected);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LoopClientConnector.class).warn("metrics {} failed on a connect", m, e);
        }
    }

    /** {@code host:port} of the destination, as an endpoint's authority names it (no default port). */
    private static String endpoint(Map<?, ?> context) {
        if (context.get(Destination.CONTEXT_KEY) instanceof Destination destination) {
            Origin origin = destination.getOrigin();
            int port = origin.getAddress().getPort();
            boolean secure = "https".equalsIgnoreCase(origin.getScheme());
            String host = origin.getAddress().getHost();
            return (secure && port == 443) || (!secure && port == 80) ? host : host + ':' + port;
        }
        if (context.get(ENDPOINT) instanceof String authority) {
            return authority;
        }
        return "unknown";
    }

    @Override
    protected SelectorManager newSelectorManager() {
        return new Pinned();
    }

    EndPoint newClientEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        // Plain TCP (Jetty's own or to a resolved address): an endpoint that can skip the read after a response.
        EndPoint endPoint = channel instanceof SocketChannel socket && key.attachment() instanceof Map<?, ?> context
                && context.get(Transport.class.getName()) instanceof Transport.TCPIP
                ? new BackendEndPoint(socket, selector, key, getScheduler())
                : newEndPoint(channel, selector, key);
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
    }

    @SuppressWarnings("unchecked")
    Connection newClientConnection(EndPoint endPoint, Map<?, ?> context) throws IOException {
        connected(context, true);
        return newConnection(endPoint, (Map<String, Object>) context);
    }

    @SuppressWarnings("unchecked")
    void clientConnectFailed(SelectableChannel channel, Throwable failure, Map<?, ?> context) {
        SocketAddress address = (SocketAddress) context.get(REMOTE_SOCKET_ADDRESS_CONTEXT_KEY);
        connectFailed(channel, address, failure, (Map<String, Object>) context);
    }

    @SuppressWarnings("unchecked")
    void clientAcceptFailed(SelectableChannel channel, Throwable failure, Map<?, ?> context) {
        acceptFailed(failure, channel, (Map<String, Object>) context);
    }

    /** Hands every channel to the loop; starts no thread. */
    private final class Pinned extends SelectorManager {
        Pinned() {
            super(LoopClientConnector.this.getExecutor(), LoopClientConnector.this.getScheduler(), 1);
        }

        @Override
        protected void doStart() {
            // No selectors of its own.
        }

        @Override
        protected void doStop() {
            // Nothing started.
        }

        @Override
        public void connect(SelectableChannel channel, Object attachment) {
            loops.register(loop, LoopClientConnector.this, channel, attachment, false);
        }

        @Override
        public void accept(SelectableChannel channel, Object attachment) {
            loops.register(loop, LoopClientConnector.this, channel, attachment, true);
        }

        @Override
        protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
            throw new UnsupportedOperationException("channels are registered with the loop");
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
            throw new UnsupportedOperationException("channels are registered with the loop");
        }
    }
}
