package dev.proxy4j.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RateLimiter} decided for one request.
 *
 * @param allowed whether the request was admitted (and counted)
 * @param remaining further requests the key would be admitted right now, without waiting
 * @param queued how far the key was ahead of its rate before this request: the time nginx delays an
 *     admitted request by when neither {@code nodelay} nor {@code delay=} is set; zero for an idle key
 * @param retryAfter when rejected, the time until a request would be admitted; zero when allowed
 * @param reset the time until the key is idle again (its whole burst available)
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration queued, Duration retryAfter, Duration reset) {

    public RateLimitDecision {
        Objects.requireNonNull(queued, "queued");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(reset, "reset");
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining: " + remaining + " (expected: >= 0)");
        }
        if (queued.isNegative() || retryAfter.isNegative() || reset.isNegative()) {
            throw new IllegalArgumentException("durations: queued " + queued + ", retryAfter " + retryAfter + ", reset "
                    + reset + " (expected: zero or positive)");
        }
        if (allowed && !retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: zero for an admitted request)");
        }
    }

    public static RateLimitDecision allowed(long remaining, Duration queued, Duration reset) {
        return new RateLimitDecision(true, remaining, queued, Duration.ZERO, reset);
    }

    public static RateLimitDecision rejected(Duration retryAfter, Duration reset) {
        return new RateLimitDecision(false, 0, Duration.ZERO, retryAfter, reset);
    }
}
