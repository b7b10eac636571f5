package dev.proxy4j.log;

import java.util.Locale;

/**
 * What the shared cache did for one request, read from its own Cache-Status member (RFC 9211) on
 * the answer: a bounded set, so metrics can count by it ({@code proxy.cache.requests}, tag {@code result}).
 */
public enum CacheResult {
    /** Answered from the store, fresh. */
    HIT,
    /** Answered from the store, stale: allowed by max-stale, stale-while-revalidate or stale-if-error. */
    STALE,
    /** Answered from another request's fetch of the same key (request collapsing). */
    COLLAPSED,
    /** Not in the store (no entry, or none for this Vary variant): sent to the backend. */
    MISS,
    /** In the store but stale or to be validated: the backend's 304 made it the answer. */
    REVALIDATED,
    /** In the store but stale: the backend sent a new response. */
    EXPIRED,
    /** The client asked past the store (no-cache, max-age=0, ...) and got the backend's new response. */
    BYPASS;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The name in metrics, e.g. {@code hit}. */
    public String code() {
        return code;
    }

    /**
     * The result a Cache-Status member's parameters say, e.g. {@code hit; ttl=30},
     * {@code fwd=uri-miss; stored}, {@code fwd=stale; fwd-status=304}; {@link #MISS} for one with
     * neither hit nor fwd (the cache answered 504 to only-if-cached).
     */
    public static CacheResult of(String member) {
        String m = member.toLowerCase(Locale.ROOT);
        if (has(m, "hit")) {
            if (m.contains("detail=max-stale") || m.contains("detail=stale-while-revalidate")
                    || m.contains("detail=stale-if-error")) {
                return STALE;
            }
            return has(m, "collapsed") ? COLLAPSED : HIT;
        }
        boolean validated = m.contains("fwd-status=304");
        if (m.contains("fwd=stale")) {
            return validated ? REVALIDATED : EXPIRED;
        }
        if (m.contains("fwd=request")) {
            return validated ? REVALIDATED : BYPASS;
        }
        return MISS;
    }

    /** Whether {@code param} is one of the member's {@code ;}-separated items. */
    private static boolean has(String member, String param) {
        int start = 0;
        while (true) {
            int semicolon = member.indexOf(';', start);
            int from = start;
            int to = semicolon < 0 ? member.length() : semicolon;
            while (from < to && Character.isWhitespace(member.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(member.charAt(to - 1))) {
                to--;
            }
            if (to - from == param.length() && member.startsWith(param, from)) {
                return true;
            }
            if (semicolon < 0) {
                return false;
            }
            start = semicolon + 1;
        }
    }
}
