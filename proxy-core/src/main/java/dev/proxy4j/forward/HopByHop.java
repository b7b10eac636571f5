package dev.proxy4j.forward;

import dev.proxy4j.http.Headers;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection and never cross the proxy.
 * Removed both ways, together with every header a Connection header names.
 */
public final class HopByHop {

    private HopByHop() {
    }

    /**
     * True for the headers always removed, in any case: Connection, Keep-Alive, Proxy-Connection,
     * Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade, HTTP2-Settings.
     */
    public static boolean isHopByHop(String name) {
        // By length first: no lower-casing, no allocation, per header per request.
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14 -> name.equalsIgnoreCase("http2-settings");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

    /**
     * Header names the Connection header lists, lower-case, leaving out {@code close} and names that
     * are hop-by-hop anyway: for the usual {@code Connection: keep-alive} this is empty, and no
     * header name needs lower-casing.
     */
    static Set<String> connectionOptions(Headers headers) {
        if (headers.get("Connection") == null) {
            return Set.of();
        }
        Set<String> names = null;
        for (String value : headers.getAll("Connection")) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String name = value.substring(start, end).strip();
                if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !isHopByHop(name)) {
                    if (names == null) {
                        names = new java.util.HashSet<>();
                    }
                    names.add(name.toLowerCase(Locale.ROOT));
                }
                start = end + 1;
            }
        }
        return names == null ? Set.of() : names;
    }

    /** True for a TE header whose list has {@code trailers} (RFC 9110 10.1.4), in any case. */
    static boolean isTeTrailers(String name, String value) {
        if (name.length() != 2 || !name.equalsIgnoreCase("te")) {
            return false;
        }
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int semicolon = value.indexOf(';', start);
            int tokenEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            if (value.substring(start, tokenEnd).strip().equalsIgnoreCase("trailers")) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** True when the header is hop-by-hop, or named by the Connection header ({@code named} is lower-case). */
    static boolean isDropped(String name, Set<String> named) {
        return isHopByHop(name) || (!named.isEmpty() && named.contains(name.toLowerCase(Locale.ROOT)));
    }

    /** The headers without the hop-by-hop ones and those the Connection header names. */
    public static Headers strip(Headers headers) {
        String connection = headers.get("Connection");
        boolean any = connection != null;
        for (int i = 0; i < headers.size() && !any; i++) {
            any = isHopByHop(headers.name(i));
        }
        if (!any) {
            return headers;
        }
        Set<String> named = connectionOptions(headers);
        Headers.Builder out = Headers.builder(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!isDropped(name, named)) {
                out.add(name, headers.value(i));
            }
        }
        return out.build();
    }
}
