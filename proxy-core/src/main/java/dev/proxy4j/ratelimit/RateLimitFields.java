package dev.proxy4j.ratelimit;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;

/**
 * The response fields of a limit: {@code Retry-After} (RFC 9110, whole seconds, at least 1) and the
 * IETF {@code RateLimit-Policy: "name";q=10;w=1} (the sustained rate: q requests per w seconds) and
 * {@code RateLimit: "name";r=5;t=2} (r requests left right now, t seconds until the whole quota is
 * back, or until the next request is admitted when rejected).
 */
final class RateLimitFields {

    private RateLimitFields() {
    }

    static String policy(String name, Rate rate) {
        return '"' + name + "\";q=" + rate.requests() + ";w=" + rate.period().getSeconds();
    }

    static String state(String name, RateLimitDecision decision) {
        Duration until = decision.allowed() ? decision.reset() : decision.retryAfter();
        return '"' + name + "\";r=" + decision.remaining() + ";t=" + seconds(until, 0);
    }

    static ProxyResponse rejection(String policy, String name, RateLimitDecision decision) {
        return ProxyResponse.builder(429)
                .headers(Headers.builder()
                        .add("Content-Type", "text/plain; charset=utf-8")
                        .add("Cache-Control", "no-store")
                        .add("Retry-After", Long.toString(seconds(decision.retryAfter(), 1)))
                        .add("RateLimit-Policy", policy)
                        .add("RateLimit", state(name, decision))
                        .build())
                .body(Body.ofUtf8("429 Too Many Requests\n"))
                .build();
    }

    static ProxyResponse add(ProxyResponse response, String policy, String name, RateLimitDecision decision) {
        return response.toBuilder()
                .headers(response.headers().toBuilder()
                        .add("RateLimit-Policy", policy)
                        .add("RateLimit", state(name, decision))
                        .build())
                .build();
    }

    /** Whole seconds, rounded up, at least {@code min}. */
    static long seconds(Duration d, long min) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(min, s);
    }
}
