package dev.proxy4j.config.file;

import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rateLimits:}, server-wide or on a route: a list of limits, each the one-line form
 * ({@code "10r/s,burst=20,nodelay,key=ip"}) or a mapping
 * {@code {rate, burst, nodelay, delay, key, name, dryRun, maxKeys, responseHeaders}}.
 */
final class RateLimitReader {

    private RateLimitReader() {
    }

    static List<RateLimit> read(Value value) {
        List<RateLimit> limits = new ArrayList<>();
        for (Value limit : value.listOrOne()) {
            limits.add(limit.isString() ? limit.build(() -> RateLimit.parse(limit.string()).build()) : mapping(limit));
        }
        return limits;
    }

    private static RateLimit mapping(Value value) {
        Value.Section s = value.section("name", "rate", "burst", "nodelay", "delay", "key", "dryRun", "maxKeys",
                "responseHeaders");
        RateLimit.Builder b = RateLimit.builder();
        Value rate = s.require("rate");
        rate.run(() -> b.rate(rate.string()));
        Value v;
        if ((v = s.get("burst")) != null) {
            int burst = v.integer(0, 1_000_000);
            b.burst(burst);
        }
        String delay = s.oneOf(false, "nodelay", "delay");
        if ("nodelay".equals(delay)) {
            if (s.require("nodelay").bool()) {
                b.nodelay();
            }
        } else if ("delay".equals(delay)) {
            b.delay(s.require("delay").integer(0, 1_000_000));
        }
        if ((v = s.get("key")) != null) {
            Value x = v;
            String key = x.string();
            b.key(x.build(() -> RateLimitKey.parse(key)));
        }
        if ((v = s.get("name")) != null) {
            Value x = v;
            String name = x.string();
            x.run(() -> b.name(name));
        }
        if ((v = s.get("dryRun")) != null) {
            b.dryRun(v.bool());
        }
        if ((v = s.get("maxKeys")) != null) {
            b.maxKeys(v.integer(1, 100_000_000));
        }
        if ((v = s.get("responseHeaders")) != null) {
            b.responseHeaders(v.bool());
        }
        return value.build(b::build);
    }
}
