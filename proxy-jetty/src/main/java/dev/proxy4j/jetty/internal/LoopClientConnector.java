package dev.proxy4j.jetty.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.Map;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * A client connector with no selector threads of its own: the connections it opens are carried by
 * one loop of a {@link LoopConnector}, the loop whose requests they serve.
 */
final class LoopClientConnector extends ClientConnector {

    private final LoopConnector loops;
    private final int loop;

    LoopClientConnector(LoopConnector loops, int loop) {
        this.loops = loops;
        this.loop = loop;
    }

    @Override
    protected SelectorManager newSelectorManager() {
        return new Pinned();
    }

    EndPoint newClientEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        EndPoint endPoint = newEndPoint(channel, selector, key);
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
    }

    @SuppressWarnings("unchecked")
    Connection newClientConnection(EndPoint endPoint, Map<?, ?> context) throws IOException {
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
