package dev.proxy4j.forward;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HAProxy's PROXY protocol, the header a proxy sends first on a connection to a backend so that
 * the backend learns the client's address (version 1: one text line; version 2: binary). See
 * https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt.
 */
public enum ProxyProtocol {
    V1,
    V2;

    /** Version 2's twelve-byte signature. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2, PROXY command. */
    private static final byte V2_PROXY = 0x21;
    private static final byte TCP_OVER_IPV4 = 0x11;
    private static final byte TCP_OVER_IPV6 = 0x21;
    private static final byte UNSPECIFIED = 0x00;

    /** {@code v1} or {@code v2}, in any case. */
    public static ProxyProtocol parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "v1" -> V1;
            case "v2" -> V2;
            default -> throw new IllegalArgumentException("proxyProtocol: \"" + text + "\" (expected: v1 or v2)");
        };
    }

    /**
     * The header for a connection from {@code source} (the client) to {@code destination} (the
     * address it reached the proxy on). Addresses of two families (or unresolved ones) give the
     * header that says "unknown": v1's {@code PROXY UNKNOWN}, v2's unspecified family, which a
     * backend takes as "use the connection's own addresses".
     */
    public byte[] header(InetSocketAddress source, InetSocketAddress destination) {
        InetAddress from = source.getAddress();
        InetAddress to = destination.getAddress();
        boolean v4 = from instanceof Inet4Address && to instanceof Inet4Address;
        boolean v6 = from instanceof Inet6Address && to instanceof Inet6Address;
        if (this == V1) {
            if (!v4 && !v6) {
                return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            return ("PROXY " + (v4 ? "TCP4 " : "TCP6 ") + from.getHostAddress() + ' ' + to.getHostAddress() + ' '
                    + source.getPort() + ' ' + destination.getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        int addressBytes = v4 ? 12 : v6 ? 36 : 0;
        ByteBuffer header = ByteBuffer.allocate(V2_SIGNATURE.length + 4 + addressBytes);
        header.put(V2_SIGNATURE).put(V2_PROXY).put(v4 ? TCP_OVER_IPV4 : v6 ? TCP_OVER_IPV6 : UNSPECIFIED)
                .putShort((short) addressBytes);
        if (addressBytes > 0) {
            header.put(from.getAddress()).put(to.getAddress())
                    .putShort((short) source.getPort()).putShort((short) destination.getPort());
        }
        return header.array();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
