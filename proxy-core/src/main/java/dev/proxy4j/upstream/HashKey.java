package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.Checks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a consistent-hash balancer ({@link LoadBalancer#ringHash}, {@link LoadBalancer#maglev})
 * hashes to choose an endpoint: requests with the same key go to the same endpoint while the
 * group's selectable members stay the same. A request without the key (no such header, cookie or
 * parameter) is spread as the ring or table's weights say, at random.
 *
 * <p>The built-ins read the request as the upstream is given it (after the route's rewrites and
 * filters) and spell themselves as the launcher's {@code --lb} does ({@link #parse}); a key of
 * your own is a lambda: {@code (ctx, request) -> ctx.attr(TENANT).orElse(null)}.
 */
@FunctionalInterface
public interface HashKey {

    /** The key of {@code request}, or null when it has none. Runs on the request's loop: keep it cheap. */
    @Nullable String value(RequestContext ctx, ProxyRequest request);

    /** The client's address, after trusted proxies are looked through ({@link RequestContext#clientAddress()}), as nginx's {@code hash $remote_addr consistent}. */
    static HashKey clientIp() {
        return HashKeys.CLIENT_IP;
    }

    /** The path, without the query. */
    static HashKey path() {
        return HashKeys.PATH;
    }

    /** The first value of header {@code name}, as sent. */
    static HashKey header(String name) {
        return new HashKeys.Header(checkToken("header name", name));
    }

    /** The value of cookie {@code name}, from the request's Cookie headers. */
    static HashKey cookie(String name) {
        return new HashKeys.Cookie(checkToken("cookie name", name));
    }

    /** The first value of query parameter {@code name}, decoded as a form ({@code +} is a space). */
    static HashKey query(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw Checks.invalid("query parameter name", name, "not empty");
        }
        return new HashKeys.Query(name);
    }

    /**
     * The key {@code spec} names: {@code ip}, {@code path}, {@code header:NAME}, {@code cookie:NAME}
     * or {@code query:NAME}, as the launcher's {@code --lb ring-hash:KEY} and the config file spell it.
     *
     * @throws IllegalArgumentException naming the spec when it is none of these
     */
    static HashKey parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.equals("ip")) {
            return clientIp();
        }
        if (spec.equals("path")) {
            return path();
        }
        try {
            if (spec.startsWith("header:")) {
                return header(spec.substring("header:".length()));
            }
            if (spec.startsWith("cookie:")) {
                return cookie(spec.substring("cookie:".length()));
            }
            if (spec.startsWith("query:")) {
                return query(spec.substring("query:".length()));
            }
        } catch (IllegalArgumentException e) {
            throw invalidSpec(spec, e);
        }
        throw invalidSpec(spec, null);
    }

    private static IllegalArgumentException invalidSpec(String spec, @Nullable Throwable cause) {
        return new IllegalArgumentException("hash key: \"" + spec + "\" (expected: " + HashKeys.SPELLINGS + ")", cause);
    }

    private static String checkToken(String field, String name) {
        Objects.requireNonNull(name, "name");
        if (!Checks.isToken(name)) {
            throw Checks.invalid(field, name, "a token as RFC 9110 defines it");
        }
        return name;
    }
}
