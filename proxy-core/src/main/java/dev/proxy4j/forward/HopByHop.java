package dev.proxy4j.forward;

import dev.proxy4j.http.Headers;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection and never cross the proxy.
 * Removed both ways, together with every header a Connection header names.
 */
public final class HopByHop {

    /** Always removed, lower-case. */
    public static final Set<String> HEADERS = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    private HopByHop() {
    }

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

    /** Header names the Connection header lists, lower-case; empty when there is none. */
    static Set<String> connectionOptions(Headers headers) {
        if (headers.get("Connection") == null) {
            return Set.of();
        }
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String option : value.split(",")) {
                String name = option.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
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
        Headers.Builder out = Headers.builder();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!isDropped(name, named)) {
                out.add(name, headers.value(i));
            }
        }
        return out.build();
    }
}
