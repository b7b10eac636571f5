package dev.proxy4j.cache;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Responses made from a stored one: with Age (RFC 9111 4.2.3, 5.1) and Cache-Status; 304 to a
 * client's matching conditional; no body for HEAD; a single byte range (206, or 416 when it cannot
 * be satisfied) from a stored 200 (RFC 9110 14).
 */
final class CachedAnswers {

    private CachedAnswers() {
    }

    static ProxyResponse answer(ProxyRequest request, CacheEntry entry, Instant now, String cacheName,
            String status, List<String> withheld) {
        StoredHead head = entry.head();
        Headers.Builder h = head.headers().toBuilder();
        for (String field : withheld) {
            h.remove(field);
        }
        h.set("Age", Long.toString(Math.min(Freshness.currentAge(head, now), CacheControl.MAX_DELTA_SECONDS)));
        Headers headers = CacheStatus.append(h.build(), cacheName, status);
        boolean head200 = head.status() == 200;
        if (head200 && Validators.notModified(request, headers, head.responseTime())) {
            return ProxyResponse.builder(304)
                    .headers(headers.toBuilder().remove("Content-Length").remove("Content-Range").build())
                    .build();
        }
        if (request.method().equals("HEAD")) {
            Headers.Builder b = headers.toBuilder();
            if (!b.contains("Content-Length")) {
                b.set("Content-Length", Integer.toString(entry.length()));
            }
            return ProxyResponse.builder(head.status()).headers(b.build()).body(Body.empty()).build();
        }
        String range = request.headers().get("Range");
        if (head200 && range != null && Validators.ifRangeHolds(request, headers)) {
            ProxyResponse partial = range(range, entry, headers);
            if (partial != null) {
                return partial;
            }
        }
        return ProxyResponse.builder(head.status())
                .headers(headers.toBuilder().remove("Content-Length").build())
                .body(entry.newBody())
                .build();
    }

    /** A single range: 206 or 416; null to ignore the Range (several ranges, or not bytes, or malformed). */
    private static @Nullable ProxyResponse range(String range, CacheEntry entry, Headers headers) {
        long length = entry.length();
        String spec = range.trim();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
            return null;
        }
        String set = spec.substring(6).trim();
        int dash = set.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = set.substring(0, dash).trim();
        String last = set.substring(dash + 1).trim();
        long start;
        long end;
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix == 0) {
                    return unsatisfiable(length, headers);
                }
                start = Math.max(0, length - suffix);
                end = length - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
                if (!last.isEmpty() && Long.parseLong(last) < start) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (start < 0 || start >= length) {
            return unsatisfiable(length, headers);
        }
        return ProxyResponse.builder(206)
                .headers(headers.toBuilder().remove("Content-Length")
                        .set("Content-Range", "bytes " + start + '-' + end + '/' + length).build())
                .body(entry.slice(start, end - start + 1))
                .build();
    }

    private static ProxyResponse unsatisfiable(long length, Headers headers) {
        Headers.Builder h = Headers.builder().add("Content-Range", "bytes */" + length);
        for (String status : headers.getAll(CacheStatus.FIELD)) {
            h.add(CacheStatus.FIELD, status);
        }
        return ProxyResponse.builder(416).headers(h.build()).build();
    }
}
