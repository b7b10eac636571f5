package dev.proxy4j.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A response's {@code Retry-After} (RFC 9110, 10.2.3) as a wait: delay-seconds, or an HTTP-date
 * less the clock's now (a date in the past is no wait). Anything else is no answer, as a recipient
 * ignores a field it cannot read.
 */
final class RetryAfter {

    /** Seconds beyond this are read as this: about 68 years, far over any cap. */
    private static final long MAX_SECONDS = Integer.MAX_VALUE;

    private RetryAfter() {
    }

    static Optional<Duration> parse(String value, Clock clock) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long seconds = text.length() > 10 ? MAX_SECONDS : Math.min(MAX_SECONDS, Long.parseLong(text));
            return Optional.of(Duration.ofSeconds(seconds));
        }
        try {
            // IMF-fixdate, which is RFC 1123's form; the obsolete forms are rare enough to ignore.
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
