package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.io.Transport;
import org.jspecify.annotations.Nullable;

/**
 * TCP to the address an endpoint's name resolved to ({@link Endpoint#resolvedAddress()}), set on a
 * client request so that Jetty's client connects there without a lookup of its own while the
 * request's URI, hence its Host header and TLS server name, keeps the name. The transport is part
 * of the client's destination key: each address gets its own destination and connection pool.
 */
final class ResolvedTransport extends Transport.TCPIP {

    private final InetSocketAddress address;

    private ResolvedTransport(InetSocketAddress address) {
        this.address = address;
    }

    /** The transport to {@code endpoint}'s resolved address; null when it is connected to by its host. */
    static @Nullable Transport of(Endpoint endpoint) {
        InetAddress address = endpoint.address();
        return address == null ? null : new ResolvedTransport(new InetSocketAddress(address, endpoint.port()));
    }

    /** Whether a destination's transport is the one {@link #of} gives for {@code endpoint}. */
    static boolean matches(@Nullable Transport transport, Endpoint endpoint) {
        InetAddress address = endpoint.address();
        if (address == null) {
            return !(transport instanceof ResolvedTransport);
        }
        return transport instanceof ResolvedTransport resolved && resolved.address.getAddress().equals(address)
                && resolved.address.getPort() == endpoint.port();
    }

    /** The address connected to. */
    InetSocketAddress address() {
        return address;
    }

    @Override
    public boolean requiresDomainNameResolution() {
        return false;
    }

    @Override
    public SocketAddress getSocketAddress() {
        return address;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResolvedTransport that && address.equals(that.address);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "tcp-ip(" + address.getAddress().getHostAddress() + ':' + address.getPort() + ')';
    }
}
