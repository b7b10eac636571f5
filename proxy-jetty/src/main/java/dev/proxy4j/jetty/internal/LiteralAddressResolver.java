package dev.proxy4j.jetty.internal;

import dev.proxy4j.internal.IpAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a backend host written as an IP address in place, on the thread asking (a loop opening
 * a backend connection), and hands names to {@code names}. Jetty's asynchronous resolver runs every
 * host through the thread pool, with a scheduled timeout, so that a DNS look-up does not block the
 * caller; an address needs no look-up. In place, a new backend connection is opened by the loop
 * that wants it, with no pool thread woken (and none started, when many open at once) and no
 * wake-up of the loop's selector from another thread.
 */
final class LiteralAddressResolver implements SocketAddressResolver {

    private final SocketAddressResolver names;

    LiteralAddressResolver(SocketAddressResolver names) {
        this.names = names;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        InetAddress literal = literal(host);
        if (literal == null) {
            names.resolve(host, port, context, promise);
            return;
        }
        promise.succeeded(List.of(new InetSocketAddress(literal, port)));
    }

    /**
     * The address {@code host} spells, or null when it is not an IPv4 address in dotted decimal
     * (four numbers 0 to 255) or an IPv6 address (with or without brackets). Never looks a name up.
     */
    static @Nullable InetAddress literal(String host) {
        if (host.indexOf(':') >= 0) {
            String bracketed = host.startsWith("[") ? host : '[' + host + ']';
            try {
                // Brackets tell the JDK to expect an IPv6 address: anything else fails, with no look-up.
                return InetAddress.getByName(bracketed);
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        byte[] bytes = IpAddresses.parseIpv4(host);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(host, bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
