package dev.proxy4j.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one set of argument checks every builder uses, worded the same way everywhere:
 * {@code "field: value (expected: ...)"}. Internal: not part of the API, free to change.
 */
public final class Checks {

    private Checks() {
    }

    public static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: positive)");
        }
        return value;
    }

    /** Zero means "no limit" for this field. */
    public static Duration positiveOrZero(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: positive, or zero for no limit)");
        }
        return value;
    }

    public static int port(String field, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..65535, 0 for any free port)");
        }
        return value;
    }

    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    /** {@code field: "value" (expected: what)} */
    public static IllegalArgumentException invalid(String field, String value, String expected) {
        return new IllegalArgumentException(field + ": \"" + value + "\" (expected: " + expected + ")");
    }

    /** A raw path as configured: starts with {@code /} and has no query or fragment. */
    public static String checkPath(String field, String path) {
        if (!path.startsWith("/")) {
            throw invalid(field, path, "starts with /");
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw invalid(field, path, "a path without ? or #");
        }
        return path;
    }

    public static Pattern compile(String field, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(field, regex, "a valid regular expression: " + e.getDescription());
        }
    }

    /**
     * Whether {@code text} holds CR, LF or NUL, which RFC 9110 5.5 forbids in a field value: sent on,
     * a CR LF would end the field and start another (header injection, response splitting).
     */
    public static boolean hasCrLfOrNul(String text) {
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} holds a control character or a space, neither of which a request target or
     * an authority may hold on the wire (RFC 9112 3.2): a space ends the target, a CR LF the line.
     */
    public static boolean hasControlOrSpace(String text) {
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with control characters written as escapes, so that a message quoting it stays one line. */
    public static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The characters of a token (RFC 9110 tchar), by ASCII code: a lookup, for header names on every request. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** A token as RFC 9110 defines it: the syntax of method names and header field names. */
    public static boolean isToken(String text) {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** A protocol as Upgrade names it (RFC 9110 7.8): a token, with an optional {@code /version} token. */
    public static boolean isProtocol(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? isToken(text)
                : isToken(text.substring(0, slash)) && isToken(text.substring(slash + 1));
    }
}
