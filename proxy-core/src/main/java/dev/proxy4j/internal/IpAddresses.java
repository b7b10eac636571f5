package dev.proxy4j.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** Parses IP literals without ever asking DNS. Internal: used by the forwarding rules and the adapter's resolver. */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The address bytes of an IPv4 or IPv6 literal (brackets allowed), or null when it is not one. */
    public static byte @Nullable [] parse(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        return parseIpv4(s);
    }

    /** The four bytes of an IPv4 address in dotted decimal (four numbers 0 to 255), or null when {@code s} is not one. */
    public static byte @Nullable [] parseIpv4(String s) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte @Nullable [] parseIpv6(String s) {
        char first = s.isEmpty() ? ' ' : s.charAt(0);
        if (!(first == ':' || Character.digit(first, 16) >= 0)) {
            return null; // InetAddress would take anything else for a host name and ask DNS
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.' || c == '%';
            if (!ok) {
                return null;
            }
        }
        try {
            // A string of only hex digits, colons and dots with a colon in it is treated as a literal:
            // InetAddress rejects it or parses it, and never resolves it.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Strips brackets and a port: "1.2.3.4:80" gives "1.2.3.4", "[::1]:80" gives "::1". */
    public static String withoutPort(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close < 0 ? s : s.substring(1, close);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':')) {
            return s.substring(0, colon);
        }
        return s;
    }
}
