package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validation (RFC 9111 4.3): the conditional request made from a stored response's validators, the
 * check that a 304 is about the stored response (4.3.4), the update of stored headers from it (3.2),
 * and the evaluation of a client's own If-None-Match / If-Modified-Since against a stored response
 * (RFC 9110 13.1.1, 13.1.3).
 */
final class Validators {

    /** Fields a 304 never replaces in a stored response (RFC 9111 3.2: Content-Length, and what depends on the stored body). */
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "content-range",
            "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade");

    private Validators() {
    }

    /** Whether the stored response has a validator to revalidate with. */
    static boolean hasValidator(Headers stored) {
        return stored.contains("ETag") || stored.contains("Last-Modified");
    }

    /**
     * The request to the backend that revalidates {@code stored}: the client's conditionals and range
     * are replaced by If-None-Match from the stored ETag and If-Modified-Since from its Last-Modified.
     */
    static ProxyRequest conditional(ProxyRequest request, Headers stored) {
        return conditional(request, stored, "GET");
    }

    /** {@link #conditional(ProxyRequest, Headers)} with {@code method} (GET, or HEAD for a client's HEAD). */
    static ProxyRequest conditional(ProxyRequest request, Headers stored, String method) {
        Headers.Builder h = request.headers().toBuilder()
                .remove("If-None-Match").remove("If-Modified-Since").remove("If-Match").remove("If-Unmodified-Since")
                .remove("If-Range").remove("Range");
        String etag = stored.get("ETag");
        if (etag != null) {
            h.set("If-None-Match", etag);
        }
        String lastModified = stored.get("Last-Modified");
        if (lastModified != null) {
            h.set("If-Modified-Since", lastModified);
        }
        return request.toBuilder().method(method).headers(h.build()).build();
    }

    /**
     * Whether a 200 answering a HEAD describes the stored GET response (RFC 9111 4.3.5): it has a
     * validator (ETag or Last-Modified), every validator it has equals the stored one, and its
     * Content-Length, when it has one, is the stored body's length. A HEAD response with no
     * validator proves nothing about the stored body, so it does not count as matching.
     */
    static boolean headMatches(Headers head, Headers stored, long storedLength) {
        String etag = head.get("ETag");
        String lastModified = head.get("Last-Modified");
        if (etag == null && lastModified == null) {
            return false;
        }
        if (etag != null && !etag.trim().equals(trimmed(stored.get("ETag")))) {
            return false;
        }
        if (lastModified != null && !lastModified.trim().equals(trimmed(stored.get("Last-Modified")))) {
            return false;
        }
        String length = head.get("Content-Length");
        return length == null || length.trim().equals(Long.toString(storedLength));
    }

    private static @Nullable String trimmed(@Nullable String value) {
        return value == null ? null : value.trim();
    }

    /**
     * Whether a 304 with {@code fresh} headers is about the stored response (RFC 9111 4.3.4): its ETag
     * matches the stored one (weak comparison), or it has none and its Last-Modified, if any, is the
     * stored one.
     */
    static boolean selects(Headers fresh, Headers stored) {
        String etag = fresh.get("ETag");
        if (etag != null) {
            String storedEtag = stored.get("ETag");
            return storedEtag != null && weakEquals(etag, storedEtag);
        }
        String lastModified = fresh.get("Last-Modified");
        return lastModified == null || lastModified.equals(stored.get("Last-Modified"));
    }

    /** The stored headers updated with those of a 304 (RFC 9111 3.2): each field it has replaces the stored one. */
    static Headers merge(Headers stored, Headers fresh) {
        Headers.Builder merged = stored.toBuilder();
        Set<String> replaced = new java.util.HashSet<>();
        for (var header : fresh) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (NOT_UPDATED.contains(name) || name.equals("cache-status")) {
                continue;
            }
            if (replaced.add(name)) {
                merged.remove(header.name());
            }
            merged.add(header.name(), header.value());
        }
        return merged.build();
    }

    /**
     * Whether a client's conditional GET/HEAD is answered 304 by a stored 200 with {@code stored} headers:
     * If-None-Match when present (weak comparison, {@code *} matches), otherwise If-Modified-Since against
     * Last-Modified (or Date) (RFC 9110 13.2.2).
     */
    static boolean notModified(ProxyRequest request, Headers stored, Instant responseTime) {
        String ifNoneMatch = joined(request.headers(), "If-None-Match");
        if (ifNoneMatch != null) {
            String etag = stored.get("ETag");
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || etag != null && weakEquals(tag, etag)) {
                    return true;
                }
            }
            return false;
        }
        Instant since = HttpDates.parse(request.headers().get("If-Modified-Since"));
        if (since == null) {
            return false;
        }
        Instant lastModified = HttpDates.parse(stored.get("Last-Modified"));
        if (lastModified == null) {
            lastModified = HttpDates.parse(stored.get("Date"));
        }
        return lastModified != null && !lastModified.isAfter(since);
    }

    /** Whether an If-Range lets the range through (RFC 9110 13.1.5): a strong ETag equal to the stored one, or its exact Last-Modified. */
    static boolean ifRangeHolds(ProxyRequest request, Headers stored) {
        String ifRange = request.headers().get("If-Range");
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            String etag = stored.get("ETag");
            return etag != null && !value.startsWith("W/") && !etag.startsWith("W/") && value.equals(etag.trim());
        }
        return value.equals(stored.get("Last-Modified"));
    }

    static boolean weakEquals(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    private static String opaque(String tag) {
        String t = tag.trim();
        return t.startsWith("W/") ? t.substring(2) : t;
    }

    private static @Nullable String joined(Headers headers, String name) {
        var values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(",", values);
    }
}
