package dev.proxy4j.cache;

import dev.proxy4j.internal.ImfFixdate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * HTTP dates (RFC 9110 5.6.7): IMF-fixdate is written; IMF-fixdate, the obsolete RFC 850 form and
 * asctime are read. Anything else reads as null: for Expires, that means already expired.
 */
public final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** Read without the day name, which must not decide a two-digit year's century. */
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The instant {@code value} names, or null when it is not an HTTP date. */
    public static @Nullable Instant parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        long fixdate = ImfFixdate.epochSecond(text);
        if (fixdate != ImfFixdate.NONE) {
            return Instant.ofEpochSecond(fixdate);
        }
        try {
            return ZonedDateTime.parse(text, IMF_FIXDATE).toInstant();
        } catch (DateTimeParseException notFixdate) {
            // try the obsolete forms
        }
        try {
            int comma = text.indexOf(", ");
            ZonedDateTime parsed = ZonedDateTime.parse(comma < 0 ? text : text.substring(comma + 2), RFC_850);
            // RFC 9110 5.6.7: a two-digit year more than 50 years ahead is in the past century.
            if (parsed.getYear() > ZonedDateTime.now(ZoneOffset.UTC).getYear() + 50) {
                parsed = parsed.minusYears(100);
            }
            return parsed.toInstant();
        } catch (DateTimeParseException notRfc850) {
            // try asctime
        }
        try {
            int space = text.indexOf(' ');
            return ZonedDateTime.parse(space < 0 ? text : text.substring(space + 1), ASCTIME).toInstant();
        } catch (DateTimeParseException notAsctime) {
            return null;
        }
    }

    /** {@code instant} as an IMF-fixdate, whole seconds. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
