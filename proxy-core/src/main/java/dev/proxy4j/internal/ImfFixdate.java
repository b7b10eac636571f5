package dev.proxy4j.internal;

/**
 * Reads an IMF-fixdate (RFC 9110 5.6.7, {@code Sun, 06 Nov 1994 08:49:37 GMT}) by hand: the form
 * every current sender writes, read on each cache hit (the stored response's Date). It takes only
 * what java.time's {@code EEE, dd MMM yyyy HH:mm:ss 'GMT'} (Locale.US) reads to the same instant:
 * exact case, a real date whose day name is its own, hours 00-23, minutes and seconds 00-59.
 * Anything else is {@link #NONE}, for the caller's general parser to decide.
 */
public final class ImfFixdate {

    /** What {@link #epochSecond} gives for a text that is not a plain IMF-fixdate. */
    public static final long NONE = Long.MIN_VALUE;

    private static final String DAYS = "MonTueWedThuFriSatSun";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private ImfFixdate() {
    }

    /** The seconds since the epoch {@code text} names, or {@link #NONE}. */
    public static long epochSecond(String text) {
        if (text.length() != 29 || text.charAt(3) != ',' || text.charAt(4) != ' ' || text.charAt(7) != ' '
                || text.charAt(11) != ' ' || text.charAt(16) != ' ' || text.charAt(19) != ':'
                || text.charAt(22) != ':' || !text.startsWith(" GMT", 25)) {
            return NONE;
        }
        int dayName = indexOf(DAYS, text, 0);
        int month = indexOf(MONTHS, text, 8) + 1;
        int day = digits(text, 5, 2);
        int year = digits(text, 12, 4);
        int hour = digits(text, 17, 2);
        int minute = digits(text, 20, 2);
        int second = digits(text, 23, 2);
        if (dayName < 0 || month <= 0 || year < 1 || day < 1 || day > monthLength(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NONE;
        }
        long epochDay = epochDay(year, month, day);
        // 1970-01-01 was a Thursday (index 3 from Monday).
        if (Math.floorMod(epochDay + 3, 7) != dayName) {
            return NONE;
        }
        return epochDay * 86_400 + hour * 3_600L + minute * 60L + second;
    }

    /** The index (0-based, in threes) of the three letters at {@code at} in {@code names}, or -1. */
    private static int indexOf(String names, String text, int at) {
        for (int i = 0; i < names.length(); i += 3) {
            if (names.regionMatches(i, text, at, 3)) {
                return i / 3;
            }
        }
        return -1;
    }

    /** The ASCII digits at {@code at} as a number, or -1 when one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 to the proleptic Gregorian date (the civil-from-days inverse). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
