package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.FormDecoding;
import org.jspecify.annotations.Nullable;

/** The built-in {@link HashKey}s; each one's {@code toString} is its spelling for {@link HashKey#parse}. */
final class HashKeys {

    static final String SPELLINGS = "ip, path, header:NAME, cookie:NAME or query:NAME";

    static final HashKey CLIENT_IP = new HashKey() {
        @Override
        public @Nullable String value(RequestContext ctx, ProxyRequest request) {
            String address = ctx.clientAddress();
            return address.isEmpty() ? null : address;
        }

        @Override
        public String toString() {
            return "ip";
        }
    };

    static final HashKey PATH = new HashKey() {
        @Override
        public String value(RequestContext ctx, ProxyRequest request) {
            return request.path();
        }

        @Override
        public String toString() {
            return "path";
        }
    };

    private HashKeys() {
    }

    record Header(String name) implements HashKey {
        @Override
        public @Nullable String value(RequestContext ctx, ProxyRequest request) {
            return request.headers().get(name);
        }

        @Override
        public String toString() {
            return "header:" + name;
        }
    }

    record Cookie(String name) implements HashKey {
        @Override
        public @Nullable String value(RequestContext ctx, ProxyRequest request) {
            return cookie(request.headers(), name);
        }

        @Override
        public String toString() {
            return "cookie:" + name;
        }
    }

    record Query(String name) implements HashKey {
        @Override
        public @Nullable String value(RequestContext ctx, ProxyRequest request) {
            return FormDecoding.parameter(request.query(), name);
        }

        @Override
        public String toString() {
            return "query:" + name;
        }
    }

    /**
     * The value of the first cookie {@code name} in the Cookie headers (an HTTP/2 client may split
     * its cookies over several), without quotes (RFC 6265 4.2.1), or null when there is none.
     */
    static @Nullable String cookie(Headers headers, String name) {
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
