package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.Cookies;
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

    /** The value of the first cookie {@code name} in the Cookie headers, or null: {@link Cookies#value}. */
    static @Nullable String cookie(Headers headers, String name) {
        return Cookies.value(headers, name);
    }
}
