package dev.proxy4j.route;

import dev.proxy4j.internal.ImfFixdate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** HTTP dates (RFC 9110 5.6.7), IMF-fixdate out, the RFC 1123 form in. */
final class HttpDates {

    /** IMF-fixdate, which RFC 9110 asks senders to use: a two-digit day ({@code Sun, 01 Nov 2026 10:00:00 GMT}). */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Empty for a date that does not parse (which RFC 9110 13.1.3 says to ignore). */
    static Optional<Instant> parse(String date) {
        String text = date.strip();
        long fixdate = ImfFixdate.epochSecond(text);
        if (fixdate != ImfFixdate.NONE) {
            return Optional.of(Instant.ofEpochSecond(fixdate));
        }
        try {
            return Optional.of(Instant.from(HTTP_DATE.parse(text)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
