package dev.proxy4j.micrometer;

import dev.proxy4j.log.RequestLog;
import java.util.Locale;
import java.util.Set;

/** Tag values, each from a bounded set: a client cannot make a new time series by what it sends. */
final class TagValues {

    static final String NONE = "none";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "TUNNEL", "TCP");

    private TagValues() {
    }

    /** The standard methods as they are; anything else {@code OTHER} (OpenTelemetry's {@code _OTHER}). */
    static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    /** {@code 2xx} and so on; {@code none} when no status was sent. */
    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : NONE;
    }

    /** Micrometer's outcome names. */
    static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        } else if (status >= 200 && status < 300) {
            return "SUCCESS";
        } else if (status >= 300 && status < 400) {
            return "REDIRECTION";
        } else if (status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        } else if (status >= 500 && status < 600) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }

    /** What went wrong in the proxy's eyes: a backend failure kind, a refusal at the door, or {@code none}. */
    static String error(RequestLog log) {
        if (log.failure().isPresent()) {
            return log.failure().get().name().toLowerCase(Locale.ROOT);
        }
        return log.refusal().map(r -> r.code()).orElse(NONE);
    }
}
