package dev.proxy4j.ratelimit;

import java.util.Objects;

/** The one-line form of a limit, {@code 10r/s,burst=20,nodelay,key=ip}, as the launcher flag and the config file write it. */
final class RateLimitSpec {

    static final String SYNTAX = "RATE[,burst=N][,nodelay|,delay=N][,key=ip|header:NAME|apikey|jwt|route|path|global][,dryrun]";

    private RateLimitSpec() {
    }

    /** @throws IllegalArgumentException {@code rate limit: "SPEC": what was wrong} */
    static RateLimit.Builder parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            return parseParts(spec);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(message.startsWith("rate limit: ") ? message
                    : "rate limit: \"" + spec + "\": " + message, e);
        }
    }

    private static RateLimit.Builder parseParts(String spec) {
        String[] parts = spec.split(",", -1);
        RateLimit.Builder b = RateLimit.builder().rate(Rate.parse(parts[0]));
        boolean delaySet = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? null : part.substring(eq + 1);
            switch (name) {
                case "burst" -> b.burst(number("burst", value));
                case "nodelay", "delay" -> {
                    if (delaySet) {
                        throw new IllegalArgumentException("rate limit: \"" + spec + "\" (expected: nodelay or delay=N, not both)");
                    }
                    delaySet = true;
                    if (name.equals("nodelay") && value == null) {
                        b.nodelay();
                    } else if (name.equals("delay")) {
                        b.delay(number("delay", value));
                    } else {
                        throw bad(spec, part);
                    }
                }
                case "key" -> b.key(key(value == null ? "" : value));
                case "dryrun" -> {
                    if (value != null) {
                        throw bad(spec, part);
                    }
                    b.dryRun(true);
                }
                default -> throw bad(spec, part);
            }
        }
        return b;
    }

    /** {@code ip}, {@code header:NAME}, {@code route}, {@code path} or {@code global}. */
    static RateLimitKey key(String key) {
        if (key.startsWith("header:") && key.length() > "header:".length()) {
            return RateLimitKey.header(key.substring("header:".length()));
        }
        return switch (key) {
            case "ip" -> RateLimitKey.clientIp();
            case "route" -> RateLimitKey.route();
            case "path" -> RateLimitKey.path();
            case "global" -> RateLimitKey.global();
            case "apikey" -> RateLimitKey.apiKeyIdentity();
            case "jwt" -> RateLimitKey.jwtIdentity();
            default -> throw new IllegalArgumentException(
                    "key: \"" + key + "\" (expected: ip, header:NAME, apikey, jwt, route, path or global)");
        };
    }

    private static int number(String name, @org.jspecify.annotations.Nullable String value) {
        try {
            return Integer.parseInt(Objects.requireNonNull(value));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + ": " + (value == null ? "missing" : "\"" + value + "\"")
                    + " (expected: a whole number)");
        }
    }

    private static IllegalArgumentException bad(String spec, String part) {
        return new IllegalArgumentException("rate limit: \"" + spec + "\" has \"" + part + "\" (expected: " + SYNTAX + ")");
    }
}
