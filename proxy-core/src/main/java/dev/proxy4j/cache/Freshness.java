package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The freshness arithmetic of RFC 9111 4.2 for a shared cache, in whole seconds: a stored response's
 * freshness lifetime (4.2.1, 4.2.2) and its current age (4.2.3). Pure: the caller gives the time.
 */
public final class Freshness {

    /** RFC 9110 15.1: the status codes that are heuristically cacheable. */
    public static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405,
            410, 414, 501);

    /** The fraction of the time since Last-Modified used as a heuristic lifetime (RFC 9111 4.2.2 suggests 10%). */
    public static final double HEURISTIC_FRACTION = 0.1;

    private Freshness() {
    }

    /**
     * The freshness lifetime in seconds, for a shared cache: {@code s-maxage}, else {@code max-age},
     * else {@code Expires - Date} (an Expires that is not a date, or a second Expires, makes it 0:
     * stale), else, when the response allows a heuristic ({@link #heuristicAllowed}), 10% of
     * {@code Date - Last-Modified} capped at {@code heuristicCap}; else 0.
     */
    public static long lifetime(StoredHead head, Duration heuristicCap) {
        Headers headers = head.headers();
        CacheControl cc = CacheControl.of(headers);
        if (cc.has("s-maxage")) {
            return cc.seconds("s-maxage").orElse(0);
        }
        if (cc.has("max-age")) {
            return cc.seconds("max-age").orElse(0);
        }
        Instant date = dateOf(head);
        if (headers.contains("Expires")) {
            if (headers.getAll("Expires").size() > 1) {
                return 0;
            }
            Instant expires = HttpDates.parse(headers.get("Expires"));
            if (expires == null) {
                return 0;
            }
            return Math.max(0, expires.getEpochSecond() - date.getEpochSecond());
        }
        if (!heuristicAllowed(head.status(), cc)) {
            return 0;
        }
        Instant lastModified = HttpDates.parse(headers.get("Last-Modified"));
        if (lastModified == null || lastModified.isAfter(date)) {
            return 0;
        }
        long heuristic = (long) ((date.getEpochSecond() - lastModified.getEpochSecond()) * HEURISTIC_FRACTION);
        return Math.min(heuristic, heuristicCap.getSeconds());
    }

    /**
     * Whether a heuristic lifetime may be used (RFC 9111 4.2.2): no explicit expiration (the caller
     * has checked), and a heuristically cacheable status or {@code public}.
     */
    static boolean heuristicAllowed(int status, CacheControl cc) {
        return HEURISTICALLY_CACHEABLE.contains(status) || cc.has("public");
    }

    /** Whether the response carries an explicit expiration time: s-maxage, max-age or Expires. */
    static boolean hasExplicitExpiration(Headers headers, CacheControl cc) {
        return cc.has("s-maxage") || cc.has("max-age") || headers.contains("Expires");
    }

    /**
     * The current age in seconds at {@code now} (RFC 9111 4.2.3):
     * <pre>
     * apparent_age = max(0, response_time - date_value)
     * response_delay = response_time - request_time
     * corrected_age_value = age_value + response_delay
     * corrected_initial_age = max(apparent_age, corrected_age_value)
     * resident_time = now - response_time
     * current_age = corrected_initial_age + resident_time
     * </pre>
     */
    public static long currentAge(StoredHead head, Instant now) {
        long responseTime = head.responseTime().getEpochSecond();
        long requestTime = head.requestTime().getEpochSecond();
        long apparentAge = Math.max(0, responseTime - dateOf(head).getEpochSecond());
        long responseDelay = responseTime - requestTime;
        long correctedAgeValue = ageValue(head.headers()) + responseDelay;
        long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
        long residentTime = Math.max(0, now.getEpochSecond() - responseTime);
        return correctedInitialAge + residentTime;
    }

    /** The Age field's value (RFC 9111 5.1), 0 when absent or not delta-seconds. */
    static long ageValue(Headers headers) {
        String age = headers.get("Age");
        if (age == null) {
            return 0;
        }
        return CacheControl.parse("a=" + age.trim()).seconds("a").orElse(0);
    }

    /** The Date field, or the response time when it has none or a bad one (RFC 9110 6.6.1). */
    static Instant dateOf(StoredHead head) {
        @Nullable Instant date = HttpDates.parse(head.headers().get("Date"));
        return date != null ? date : head.responseTime();
    }
}
