package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a shared cache may store a response (RFC 9111 3), and why not: the reason is a short token
 * that goes into Cache-Status's {@code detail} (RFC 9211).
 */
final class Storability {

    /** Statuses this cache understands well enough to store (RFC 9111 3; 206 and 304 are not whole responses). */
    private static final Set<Integer> UNDERSTOOD = Set.of(200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 307,
            308, 400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 429,
            431, 451, 500, 501, 502, 503, 504, 505);

    private Storability() {
    }

    /**
     * Null when the response to {@code request} may be stored, otherwise why not: {@code method},
     * {@code status}, {@code no-store}, {@code private}, {@code authorization}, {@code set-cookie},
     * {@code vary-star}, {@code no-freshness} (neither explicit expiration, nor public, nor a heuristically
     * cacheable status).
     */
    static @Nullable String whyNot(ProxyRequest request, CacheControl requestCc, int status, Headers headers,
            boolean storeSetCookie) {
        if (!request.method().equals("GET")) {
            return "method";
        }
        CacheControl cc = CacheControl.of(headers);
        boolean understood = UNDERSTOOD.contains(status);
        if (cc.has("must-understand")) {
            // RFC 9111 5.2.2.3: store only a status whose caching rules are understood; no-store is then ignored
            if (!understood) {
                return "status";
            }
        } else {
            if (!understood) {
                return "status";
            }
            if (cc.has("no-store")) {
                return "no-store";
            }
        }
        if (requestCc.has("no-store")) {
            return "no-store";
        }
        // RFC 9111 5.2.2.7: an unqualified private is for private caches only; a qualified one is stored
        // without the named fields
        if (cc.has("private") && cc.fieldNames("private").isEmpty()) {
            return "private";
        }
        if (request.headers().contains("Authorization")
                && !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate"))) {
            return "authorization";
        }
        if (!storeSetCookie && headers.contains("Set-Cookie")) {
            return "set-cookie";
        }
        for (String vary : headers.getAll("Vary")) {
            for (String field : vary.split(",")) {
                if (field.trim().equals("*")) {
                    return "vary-star";
                }
            }
        }
        if (!Freshness.hasExplicitExpiration(headers, cc) && !cc.has("public")
                && !Freshness.HEURISTICALLY_CACHEABLE.contains(status)) {
            return "no-freshness";
        }
        return null;
    }
}
