package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.tls.ClientHello;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamFailure;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory.Detecting;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * TLS SNI passthrough on a TLS listener: Jetty's detector hands it the connection's first bytes;
 * a ClientHello naming one of the listener's passthrough names is recognised, and the connection
 * becomes a raw TCP tunnel to that name's upstream (the ClientHello written to the backend first,
 * the backend doing the TLS); anything else goes on to the proxy's own TLS. Bounded: detection
 * reads at most {@link ClientHello#MAX_BYTES}, within the listener's idle timeout.
 */
final class SniPassthrough extends AbstractConnectionFactory implements Detecting {

    private final Supplier<ProxyConfig> config;
    private final Supplier<java.util.List<dev.proxy4j.log.RequestLogListener>> listeners;
    private final OpenTunnels openTunnels;
    private final int listenerIndex;
    private final Scheduler scheduler;
    private final Executor blocking;
    private volatile LoopConnector loops;
    private volatile LoopClientConnector[] connectors = new LoopClientConnector[0];

    SniPassthrough(Supplier<ProxyConfig> config, Supplier<java.util.List<dev.proxy4j.log.RequestLogListener>> listeners,
            int listenerIndex, Scheduler scheduler, Executor blocking, OpenTunnels openTunnels) {
        super("sni-passthrough");
        this.listeners = listeners;
        this.openTunnels = openTunnels;
        this.config = config;
        this.listenerIndex = listenerIndex;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    void bind(LoopConnector loops, LoopClientConnector[] connectors) {
        this.loops = loops;
        this.connectors = connectors.clone();
    }

    private dev.proxy4j.config.Listener listener() {
        return config.get().listeners().get(listenerIndex);
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        if (listener().sniPassthrough().isEmpty()) {
            return Detection.NOT_RECOGNIZED;
        }
        ClientHello.Result hello = ClientHello.parse(buffer);
        if (hello instanceof ClientHello.NeedMore) {
            return Detection.NEED_MORE_BYTES;
        }
        return upstreamFor(hello) != null ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    private @Nullable Upstream upstreamFor(ClientHello.Result hello) {
        return hello instanceof ClientHello.Parsed parsed ? listener().sniPassthrough().get(parsed.serverName()) : null;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        ProxyConfig current = config.get();
        int loop = endPoint instanceof LoopConnector.LoopEndPoint pinned ? pinned.loop() - loops.firstLoop() : 0;
        int pinned = Math.max(0, Math.min(loop, connectors.length - 1));
        Tunnel tunnel = new Tunnel(connector.getByteBufferPool(), connector.getExecutor(), TcpListener.DEFAULT_IDLE_TIMEOUT)
                .countIn(openTunnels);
        AbstractConnection client = tunnel.clientSide(endPoint);
        tunnel.onClientBytes(hello -> {
            ClientHello.Result parsed = ClientHello.parse(hello);
            Upstream upstream = upstreamFor(parsed);
            if (upstream == null) {
                // Recognised a moment ago: only a reconfigure in between takes the name away.
                tunnel.refuse(new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, "no passthrough for the name"));
                return;
            }
            // The upstream's PROXY header (Upstream.Builder.proxyProtocol), before the ClientHello.
            TcpForwarding.sendProxyHeader(tunnel, endPoint, upstream.proxyProtocol());
            new TcpForwarding.Session(current, listeners.get(), upstream, ((ClientHello.Parsed) parsed).serverName(), tunnel, endPoint,
                    new JettyEventLoop(loops, pinned, scheduler), connectors[pinned], blocking, java.util.Optional.empty()).start();
        });
        return configure(client, connector, endPoint);
    }
}
