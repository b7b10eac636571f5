package dev.proxy4j.jetty.internal;

import dev.proxy4j.forward.ProxyProtocol;
import java.net.InetSocketAddress;
import org.eclipse.jetty.client.ProxyProtocolClientConnectionFactory.V1;
import org.eclipse.jetty.client.ProxyProtocolClientConnectionFactory.V2;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.jspecify.annotations.Nullable;

/**
 * The tag of a backend request to an upstream that sends the PROXY protocol: Jetty's client writes
 * the header a tag describes first on each connection it opens for it, and keeps the tag in the
 * destination's key, so a backend connection carries the requests of one client connection only
 * (its address and port), as HAProxy's {@code send-proxy}.
 */
final class ProxyProtocolTags {

    private ProxyProtocolTags() {
    }

    /**
     * The header for the client connection {@code client} (its peer as the source, the proxy's
     * address it reached as the destination); without one (the proxy's own detached calls), or
     * for addresses that are not IP, as {@link #local}.
     */
    static Object of(ProxyProtocol version, @Nullable ConnectionMetaData client) {
        if (client != null && client.getRemoteSocketAddress() instanceof InetSocketAddress from && from.getAddress() != null
                && client.getLocalSocketAddress() instanceof InetSocketAddress to && to.getAddress() != null
                && from.getAddress().getClass() == to.getAddress().getClass()) {
            String source = from.getAddress().getHostAddress();
            String destination = to.getAddress().getHostAddress();
            boolean six = from.getAddress() instanceof java.net.Inet6Address;
            return version == ProxyProtocol.V1
                    ? new V1.Tag(six ? "TCP6" : "TCP4", source, from.getPort(), destination, to.getPort())
                    : new V2.Tag(V2.Tag.Command.PROXY, six ? V2.Tag.Family.INET6 : V2.Tag.Family.INET4,
                            V2.Tag.Protocol.STREAM, source, from.getPort(), destination, to.getPort(), null);
        }
        return local(version);
    }

    /** The proxy's own connection, a health check's: {@code PROXY UNKNOWN} (v1), the {@code LOCAL} command (v2). */
    static Object local(ProxyProtocol version) {
        return version == ProxyProtocol.V1 ? V1.Tag.UNKNOWN : V2.Tag.LOCAL;
    }
}
