package dev.proxy4j.jetty.internal;

import dev.proxy4j.forward.Cidr;
import java.net.InetSocketAddress;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * Jetty's PROXY protocol (v1 and v2) reader, for connections from trusted networks only: from
 * anyone else the connection goes straight to the next protocol, where a PROXY header is just a
 * malformed request, so that no client can claim another's address.
 */
final class TrustedProxyProtocol extends ProxyConnectionFactory {

    private final List<Cidr> trusted;
    private final String next;

    TrustedProxyProtocol(List<String> cidrs, String next) {
        super(next);
        this.trusted = cidrs.stream().map(Cidr::parse).toList();
        this.next = next;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (endPoint.getRemoteSocketAddress() instanceof InetSocketAddress peer && peer.getAddress() != null) {
            String address = peer.getAddress().getHostAddress();
            for (Cidr cidr : trusted) {
                if (cidr.contains(address)) {
                    return super.newConnection(connector, endPoint);
                }
            }
        }
        return connector.getConnectionFactory(next).newConnection(connector, endPoint);
    }
}
