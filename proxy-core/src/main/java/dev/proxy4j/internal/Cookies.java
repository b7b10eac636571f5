package dev.proxy4j.internal;

import dev.proxy4j.http.Headers;
import org.jspecify.annotations.Nullable;

/** Reading a cookie of a request's Cookie headers (RFC 6265 5.4), for hash keys, sticky cookies and split matches. */
public final class Cookies {

    private Cookies() {
    }

    /**
     * The value of the first cookie {@code name} in the Cookie headers (an HTTP/2 client may split
     * its cookies over several), without quotes (RFC 6265 4.2.1), or null when there is none.
     */
    public static @Nullable String value(Headers headers, String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("Cookie")) {
                continue;
            }
            String value = find(headers.value(i), name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static @Nullable String find(String header, String name) {
        int length = header.length();
        int start = 0;
        while (start < length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            while (from < end && header.charAt(from) == ' ') {
                from++;
            }
            int equals = header.indexOf('=', from);
            if (equals > 0 && equals < end && equals - from == name.length() && header.startsWith(name, from)) {
                int to = end;
                while (to > equals + 1 && header.charAt(to - 1) == ' ') {
                    to--;
                }
                int valueFrom = equals + 1;
                if (to - valueFrom >= 2 && header.charAt(valueFrom) == '"' && header.charAt(to - 1) == '"') {
                    valueFrom++;
                    to--;
                }
                return header.substring(valueFrom, to);
            }
            start = end + 1;
        }
        return null;
    }
}
