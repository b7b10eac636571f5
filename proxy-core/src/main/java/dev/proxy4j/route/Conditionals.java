package dev.proxy4j.route;

import dev.proxy4j.http.Headers;
import java.time.Instant;
import java.util.Optional;

/** The conditional requests static files answer (RFC 9110 13): If-None-Match, If-Modified-Since, If-Range. */
final class Conditionals {

    private Conditionals() {
    }

    /**
     * Whether a GET or HEAD is answered 304: If-None-Match when present (weak comparison, {@code *}
     * matches), else If-Modified-Since (a date that does not parse is ignored).
     */
    static boolean notModified(Headers request, String etag, Instant modified) {
        if (request.contains("If-None-Match")) {
            for (String field : request.getAll("If-None-Match")) {
                for (String candidate : field.split(",")) {
                    String tag = candidate.strip();
                    if (tag.equals("*") || opaque(tag).equals(opaque(etag))) {
                        return true;
                    }
                }
            }
            return false;
        }
        String since = request.get("If-Modified-Since");
        if (since != null) {
            Optional<Instant> date = HttpDates.parse(since);
            return date.isPresent() && modified.getEpochSecond() <= date.get().getEpochSecond();
        }
        return false;
    }

    /**
     * Whether a Range applies: no If-Range, or one that names the current representation: its
     * entity tag by strong comparison, or exactly its Last-Modified date.
     */
    static boolean rangeApplies(Headers request, String etag, Instant modified) {
        String ifRange = request.get("If-Range");
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !value.startsWith("W/") && !etag.startsWith("W/") && value.equals(etag);
        }
        Optional<Instant> date = HttpDates.parse(value);
        return date.isPresent() && date.get().getEpochSecond() == modified.getEpochSecond();
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
