package dev.proxy4j.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request rate as nginx writes it: {@code 10r/s} or {@code 600r/m}. One request is admitted per
 * {@link #interval()}, the emission interval of the generic cell rate algorithm (for {@code 10r/s},
 * 100 ms).
 *
 * @param requests requests per {@code period}, at least 1
 * @param period one second or one minute
 */
public record Rate(long requests, Duration period) {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})r/([sm])");

    public Rate {
        Objects.requireNonNull(period, "period");
        if (requests < 1) {
            throw new IllegalArgumentException("rate: " + requests + " (expected: >= 1 request per period)");
        }
        if (!period.equals(Duration.ofSeconds(1)) && !period.equals(Duration.ofMinutes(1))) {
            throw new IllegalArgumentException("rate period: " + period + " (expected: 1 second or 1 minute)");
        }
        if (period.toNanos() / requests < 1_000) {
            throw new IllegalArgumentException("rate: " + requests + " per " + period + " (expected: at most 1000000r/s)");
        }
    }

    /** {@code 10r/s} or {@code 600r/m}, as nginx's {@code rate=} parameter. */
    public static Rate parse(String text) {
        Objects.requireNonNull(text, "rate");
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("rate: \"" + text + "\" (expected: requests per second or minute, as 10r/s or 600r/m)");
        }
        Duration period = m.group(2).equals("s") ? Duration.ofSeconds(1) : Duration.ofMinutes(1);
        return new Rate(Long.parseLong(m.group(1)), period);
    }

    public static Rate perSecond(long requests) {
        return new Rate(requests, Duration.ofSeconds(1));
    }

    public static Rate perMinute(long requests) {
        return new Rate(requests, Duration.ofMinutes(1));
    }

    /** The time one request "costs": the period divided by the requests, in whole nanoseconds. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos());
    }

    long intervalNanos() {
        return period.toNanos() / requests;
    }

    /** {@code 10r/s}. */
    @Override
    public String toString() {
        return requests + (period.getSeconds() == 1 ? "r/s" : "r/m");
    }
}
