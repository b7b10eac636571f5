package dev.proxy4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImfFixdateTest {

    /** The general parser the fast one must agree with. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void readsRfc9110sExample() {
        assertThat(ImfFixdate.epochSecond("Sun, 06 Nov 1994 08:49:37 GMT"))
                .isEqualTo(Instant.parse("1994-11-06T08:49:37Z").getEpochSecond());
    }

    @Test
    void readsEveryDateTheFormatterWritesToTheSameInstant() {
        Random random = new Random(42);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long second = first + Math.floorMod(random.nextLong(), last - first + 1);
            String text = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
            assertThat(ImfFixdate.epochSecond(text)).as(text).isEqualTo(second);
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "1900-02-28T12:00:00Z",
                "2026-12-31T23:59:59Z", "1969-12-31T23:59:59Z"}) {
            long second = Instant.parse(edge).getEpochSecond();
            assertThat(ImfFixdate.epochSecond(IMF_FIXDATE.format(Instant.ofEpochSecond(second)))).isEqualTo(second);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Mon, 06 Nov 1994 08:49:37 GMT", // Sunday's date under another day name
        "Thu, 29 Feb 2024 08:49:37 GMT", // 2024-02-29 was a Thursday: read
        "Sun, 29 Feb 1900 08:49:37 GMT", // 1900 was no leap year
        "Sun, 31 Apr 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 23:59:60 GMT",
        "Sun, 06 Nov 1994 08:60:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sat, 01 Jan 0000 00:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 199x 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        ""})
    void neverReadsAnInstantTheFormatterDoesNot(String text) {
        long fast = ImfFixdate.epochSecond(text);
        Long general;
        try {
            general = ZonedDateTime.parse(text, IMF_FIXDATE).toEpochSecond();
        } catch (DateTimeParseException e) {
            general = null;
        }
        // Declining is always safe (the general parser decides); a reading must be the formatter's.
        if (fast != ImfFixdate.NONE) {
            assertThat(general).as(text).isEqualTo(fast);
        }
    }

    @Test
    void declinesWhatIsNotAPlainFixdate() {
        assertThat(ImfFixdate.epochSecond("Mon, 06 Nov 1994 08:49:37 GMT")).isEqualTo(ImfFixdate.NONE);
        assertThat(ImfFixdate.epochSecond("Sun, 29 Feb 1900 08:49:37 GMT")).isEqualTo(ImfFixdate.NONE);
        // java.time reads this as the next midnight; left to it.
        assertThat(ImfFixdate.epochSecond("Sun, 06 Nov 1994 24:00:00 GMT")).isEqualTo(ImfFixdate.NONE);
        assertThat(ImfFixdate.epochSecond("Sun, 06 nov 1994 08:49:37 GMT")).isEqualTo(ImfFixdate.NONE);
        assertThat(ImfFixdate.epochSecond("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(ImfFixdate.NONE);
    }

    @Test
    void theCacheStillReadsTheOtherFormsAndMidnightAsTwentyFour() {
        assertThat(dev.proxy4j.cache.HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"))
                .isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(dev.proxy4j.cache.HttpDates.parse("Sun Nov  6 08:49:37 1994"))
                .isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(dev.proxy4j.cache.HttpDates.parse(" Sun, 06 Nov 1994 24:00:00 GMT"))
                .isEqualTo(Instant.parse("1994-11-07T00:00:00Z"));
    }
}
