package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;

/** The Cache-Status field (RFC 9211): this cache's member is appended after those of caches nearer the origin. */
final class CacheStatus {

    static final String FIELD = "Cache-Status";

    private CacheStatus() {
    }

    /** {@code headers} with {@code member} ({@code name; params}) appended to Cache-Status. */
    static Headers append(Headers headers, String name, String params) {
        String member = name + "; " + params;
        String earlier = headers.get(FIELD);
        Headers.Builder b = headers.toBuilder();
        b.set(FIELD, earlier == null ? member : String.join(", ", headers.getAll(FIELD)) + ", " + member);
        return b.build();
    }

    static String hit(long ttl) {
        return "hit; ttl=" + ttl;
    }

    static String forwarded(String fwd, boolean stored) {
        return "fwd=" + fwd + (stored ? "; stored" : "");
    }

    static String notStored(String fwd, String why) {
        return "fwd=" + fwd + "; detail=" + why;
    }
}
