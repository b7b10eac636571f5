package dev.proxy4j.upstream;

import dev.proxy4j.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health: endpoints taken out of rotation for a while because of what real requests
 * found, as Envoy's outlier detection (and nginx's {@code max_fails} / {@code fail_timeout}).
 *
 * <p>An endpoint is ejected when {@code consecutive5xx} attempts in a row ended in a 5xx status
 * or a failure of the exchange, or {@code consecutiveGatewayFailures} in a row ended in 502, 503,
 * 504 or a failure (refused, reset, timed out); 0 turns either rule off. It stays out for
 * {@code baseEjectionTime} times the number of times it was ejected, at most
 * {@code maxEjectionTime} (at least the base); each {@code interval} it spends in rotation takes
 * one off that number again. No more than {@code maxEjectionPercent} of the endpoints are out at
 * once, but always one may be. Ejected endpoints are skipped as unhealthy ones are: when every
 * endpoint is out, the upstream's {@linkplain Upstream.Builder#panicRouting panic routing} decides.
 *
 * <p>Defaults are Envoy's: 5 and 5, 10 s, 30 s, 300 s, 10%.
 *
 * @param consecutive5xx 5xx or failures in a row that eject; 0 for never; 0..1000
 * @param consecutiveGatewayFailures 502/503/504 or failures in a row that eject; 0 for never; 0..1000
 * @param interval how often ejections are looked at and ended; positive
 * @param baseEjectionTime the first ejection's length; positive
 * @param maxEjectionTime the longest ejection; positive (taken as the base when below it)
 * @param maxEjectionPercent the most endpoints ejected at once, in percent of the group; 0..100
 */
public record OutlierDetection(int consecutive5xx, int consecutiveGatewayFailures, Duration interval,
        Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURES = 5;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

    public OutlierDetection {
        threshold("consecutive5xx", consecutive5xx);
        threshold("consecutiveGatewayFailures", consecutiveGatewayFailures);
        Checks.positive("interval", Objects.requireNonNull(interval, "interval"));
        Checks.positive("baseEjectionTime", Objects.requireNonNull(baseEjectionTime, "baseEjectionTime"));
        Checks.positive("maxEjectionTime", Objects.requireNonNull(maxEjectionTime, "maxEjectionTime"));
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent: " + maxEjectionPercent + " (expected: 0..100)");
        }
    }

    /** Envoy's defaults. */
    public static OutlierDetection defaults() {
        return new OutlierDetection(DEFAULT_CONSECUTIVE_5XX, DEFAULT_CONSECUTIVE_GATEWAY_FAILURES, DEFAULT_INTERVAL,
                DEFAULT_BASE_EJECTION_TIME, DEFAULT_MAX_EJECTION_TIME, DEFAULT_MAX_EJECTION_PERCENT);
    }

    public OutlierDetection withConsecutive5xx(int n) {
        return new OutlierDetection(n, consecutiveGatewayFailures, interval, baseEjectionTime, maxEjectionTime,
                maxEjectionPercent);
    }

    public OutlierDetection withConsecutiveGatewayFailures(int n) {
        return new OutlierDetection(consecutive5xx, n, interval, baseEjectionTime, maxEjectionTime, maxEjectionPercent);
    }

    public OutlierDetection withInterval(Duration d) {
        return new OutlierDetection(consecutive5xx, consecutiveGatewayFailures, d, baseEjectionTime, maxEjectionTime,
                maxEjectionPercent);
    }

    public OutlierDetection withBaseEjectionTime(Duration d) {
        return new OutlierDetection(consecutive5xx, consecutiveGatewayFailures, interval, d, maxEjectionTime,
                maxEjectionPercent);
    }

    public OutlierDetection withMaxEjectionTime(Duration d) {
        return new OutlierDetection(consecutive5xx, consecutiveGatewayFailures, interval, baseEjectionTime, d,
                maxEjectionPercent);
    }

    public OutlierDetection withMaxEjectionPercent(int percent) {
        return new OutlierDetection(consecutive5xx, consecutiveGatewayFailures, interval, baseEjectionTime,
                maxEjectionTime, percent);
    }

    /** How long the {@code n}th ejection in a row lasts: base x n, at most the larger of max and base. */
    Duration ejectionTime(int n) {
        Duration cap = maxEjectionTime.compareTo(baseEjectionTime) < 0 ? baseEjectionTime : maxEjectionTime;
        long nanos = baseEjectionTime.toNanos();
        if (n > 0 && nanos > cap.toNanos() / n) {
            return cap;
        }
        Duration time = Duration.ofNanos(nanos * Math.max(1, n));
        return time.compareTo(cap) > 0 ? cap : time;
    }

    private static void threshold(String field, int value) {
        if (value < 0 || value > 1000) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..1000, 0 for off)");
        }
    }
}
