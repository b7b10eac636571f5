package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The directives of the Cache-Control fields of a request or a response (RFC 9111 5.2), read the
 * way RFC 9111 asks: names case-insensitively, every field line and every comma-separated member
 * together, a value as a token or a quoted string. A directive given twice keeps its first value
 * (4.2.1); a delta-seconds value that is not a non-negative integer is kept as invalid, and
 * {@link #seconds(String)} gives 0 for it (an invalid freshness lifetime makes the response stale);
 * one beyond 2^31 is 2^31 (1.2.2). A malformed member is skipped, not the whole field.
 */
public final class CacheControl {

    /** RFC 9111 1.2.2: the largest delta-seconds a cache keeps. */
    public static final long MAX_DELTA_SECONDS = 2147483648L;

    private static final CacheControl NONE = new CacheControl(Map.of());
    private static final CacheControl PRAGMA_NO_CACHE = new CacheControl(Map.of("no-cache", ""));
    /** A value given for a directive that was present without one. */
    private static final String NO_VALUE = "";

    /** Lower-case name to raw value (without quotes), or "" when the directive had none. */
    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives) {
        this.directives = directives;
    }

    /** The directives of every {@code Cache-Control} field in {@code headers}. */
    public static CacheControl of(Headers headers) {
        List<String> fields = headers.getAll("Cache-Control");
        if (fields.isEmpty()) {
            return NONE;
        }
        Map<String, String> directives = new LinkedHashMap<>();
        for (String field : fields) {
            parse(field, directives);
        }
        return new CacheControl(Collections.unmodifiableMap(directives));
    }

    /**
     * The directives of a request: its Cache-Control fields, or, when it has none, {@code no-cache}
     * if a {@code Pragma} field has the {@code no-cache} option (RFC 9111 5.4: the HTTP/1.0 way of
     * asking for a validated answer, which a cache must honour only without Cache-Control; the
     * other Pragma options mean nothing to a cache).
     */
    public static CacheControl ofRequest(Headers headers) {
        if (headers.contains("Cache-Control")) {
            return of(headers);
        }
        for (String pragma : headers.getAll("Pragma")) {
            for (String option : pragma.split(",")) {
                if (option.trim().equalsIgnoreCase("no-cache")) {
                    return PRAGMA_NO_CACHE;
                }
            }
        }
        return NONE;
    }

    /** The directives of one field value. */
    public static CacheControl parse(String field) {
        Map<String, String> directives = new LinkedHashMap<>();
        parse(field, directives);
        return directives.isEmpty() ? NONE : new CacheControl(Collections.unmodifiableMap(directives));
    }

    public static CacheControl none() {
        return NONE;
    }

    private static void parse(String field, Map<String, String> into) {
        int i = 0;
        int n = field.length();
        while (i < n) {
            // skip separators and whitespace
            while (i < n && (field.charAt(i) == ',' || isSpace(field.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && isTokenChar(field.charAt(i))) {
                i++;
            }
            String name = field.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && isSpace(field.charAt(i))) {
                i++;
            }
            String value = NO_VALUE;
            boolean malformed = name.isEmpty();
            if (i < n && field.charAt(i) == '=') {
                i++;
                while (i < n && isSpace(field.charAt(i))) {
                    i++;
                }
                if (i < n && field.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = field.charAt(i++);
                        if (c == '\\' && i < n) {
                            quoted.append(field.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            quoted.append(c);
                        }
                    }
                    malformed |= !closed;
                    value = quoted.toString();
                } else {
                    int valueStart = i;
                    while (i < n && isTokenChar(field.charAt(i))) {
                        i++;
                    }
                    value = field.substring(valueStart, i);
                    malformed |= value.isEmpty();
                }
                while (i < n && isSpace(field.charAt(i))) {
                    i++;
                }
            }
            if (i < n && field.charAt(i) != ',') {
                // garbage after the member: skip to the next comma outside quotes
                malformed = true;
                boolean inQuotes = false;
                while (i < n && (inQuotes || field.charAt(i) != ',')) {
                    char c = field.charAt(i);
                    if (c == '"') {
                        inQuotes = !inQuotes;
                    } else if (c == '\\' && inQuotes) {
                        i++;
                    }
                    i++;
                }
            }
            if (!malformed) {
                into.putIfAbsent(name, value);
            }
        }
    }

    /** Whether the directive is present (with or without a value). */
    public boolean has(String directive) {
        return directives.containsKey(directive.toLowerCase(Locale.ROOT));
    }

    /** The directive's value as given (unquoted), or null when absent or given without a value. */
    public @Nullable String value(String directive) {
        String value = directives.get(directive.toLowerCase(Locale.ROOT));
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * The directive's delta-seconds: empty when absent; 0 when present with a value that is not a
     * non-negative integer, or with none; capped at {@link #MAX_DELTA_SECONDS}.
     */
    public OptionalLong seconds(String directive) {
        String value = directives.get(directive.toLowerCase(Locale.ROOT));
        if (value == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(deltaSeconds(value));
    }

    /** Whether the directive is present with a value that is not delta-seconds. */
    public boolean invalidSeconds(String directive) {
        String value = directives.get(directive.toLowerCase(Locale.ROOT));
        return value != null && !isDigits(value);
    }

    /**
     * The field names of a qualified {@code no-cache="a, b"} or {@code private="a"} (lower-case); empty
     * when the directive is absent or unqualified.
     */
    public List<String> fieldNames(String directive) {
        String value = value(directive);
        if (value == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return List.copyOf(names);
    }

    /** Whether there are no directives. */
    public boolean isEmpty() {
        return directives.isEmpty();
    }

    private static long deltaSeconds(String value) {
        if (!isDigits(value)) {
            return 0;
        }
        if (value.length() > 10) {
            return MAX_DELTA_SECONDS;
        }
        return Math.min(Long.parseLong(value), MAX_DELTA_SECONDS);
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    @Override
    public String toString() {
        return "CacheControl" + directives;
    }
}
