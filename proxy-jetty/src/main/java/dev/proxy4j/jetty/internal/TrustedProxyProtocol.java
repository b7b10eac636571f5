package dev.proxy4j.jetty.internal;

import dev.proxy4j.forward.Cidr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * Jetty's PROXY protocol (v1 and v2) reader, for connections from trusted networks only: from
 * anyone else the connection goes straight to the next protocol, where a PROXY header is just a
 * malformed request, so that no client can claim another's address. What Jetty read goes through
 * {@link CheckedAddresses} before the next protocol: Jetty's v1 reader takes any text for an
 * address (a client of a trusted balancer would then be "999.0.113.7" in logs and X-Forwarded-For).
 */
final class TrustedProxyProtocol extends ProxyConnectionFactory {

    private static final String CHECKED = "proxy4j-proxy-addresses";

    private final List<Cidr> trusted;
    private final String next;

    private TrustedProxyProtocol(List<String> cidrs, String next) {
        super(CHECKED);
        this.trusted = cidrs.stream().map(Cidr::parse).toList();
        this.next = next;
    }

    /** The factories to put first on a listener, in this order, in front of {@code next}. */
    static ConnectionFactory[] factories(List<String> cidrs, String next) {
        return new ConnectionFactory[] {new TrustedProxyProtocol(cidrs, next), new CheckedAddresses(next)};
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

    /**
     * After a PROXY header: both addresses must be IP literals (Jetty does not check v1's text); otherwise the connection is closed, as Jetty closes it for a header it cannot parse.
     */
    static final class CheckedAddresses extends AbstractConnectionFactory {
        private final String next;

        CheckedAddresses(String next) {
            super(CHECKED);
            this.next = next;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            if (isIpLiteral(endPoint.getRemoteSocketAddress()) && isIpLiteral(endPoint.getLocalSocketAddress())) {
                return connector.getConnectionFactory(next).newConnection(connector, endPoint);
            }
            return new ClosingConnection(endPoint, connector.getExecutor());
        }

        private static boolean isIpLiteral(SocketAddress address) {
            if (!(address instanceof InetSocketAddress inet) || inet.getHostString().contains("/")) {
                return false;
            }
            try {
                Cidr.parse(inet.getHostString());
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
