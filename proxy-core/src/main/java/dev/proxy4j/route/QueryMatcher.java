package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.internal.FormDecoding;
import dev.proxy4j.http.ProxyRequest;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Matches a query parameter of the request's raw query ({@link ProxyRequest#query()}).
 *
 * <p>The query is split on {@code &} (not {@code ;}); each part is {@code name=value} (split at the
 * first {@code =}) or a bare {@code name}, whose value is {@code ""}; empty parts are skipped. Names and
 * values are compared after decoding them as application/x-www-form-urlencoded ({@code +} is a space,
 * {@code %XX} are UTF-8 bytes), so the name and value given here are decoded text: {@code equalTo("q",
 * "a b")} matches {@code q=a+b} and {@code q=a%20b}. Values compare exactly, case-sensitively; a name
 * may repeat and any of its values may match. A parameter that does not decode (a bad escape, bytes
 * that are not UTF-8) is skipped as if absent; it never makes the request fail.
 */
public final class QueryMatcher implements RequestPredicate {

    private enum Kind { PRESENT, ABSENT, EQUAL_TO, REGEX }

    private final Kind kind;
    private final String name;
    private final @Nullable String value;
    private final @Nullable Pattern regex;

    private QueryMatcher(Kind kind, String name, @Nullable String value, @Nullable Pattern regex) {
        this.kind = kind;
        this.name = name;
        this.value = value;
        this.regex = regex;
    }

    /** Matches when the query has a parameter {@code name}, with or without a value. */
    public static QueryMatcher present(String name) {
        return new QueryMatcher(Kind.PRESENT, checkName(name), null, null);
    }

    /** Matches when the query has no parameter {@code name} (or no query at all). */
    public static QueryMatcher absent(String name) {
        return new QueryMatcher(Kind.ABSENT, checkName(name), null, null);
    }

    /** Matches when a parameter {@code name} has exactly {@code value}, both compared decoded. */
    public static QueryMatcher equalTo(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        return new QueryMatcher(Kind.EQUAL_TO, name, value, null);
    }

    /** Matches when the whole decoded value of a parameter {@code name} matches {@code regex}. */
    public static QueryMatcher regex(String name, String regex) {
        checkName(name);
        Objects.requireNonNull(regex, "regex");
        return new QueryMatcher(Kind.REGEX, name, null, Checks.compile("query regex", regex));
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw Checks.invalid("query parameter name", name, "not empty");
        }
        return name;
    }

    @Override
    public boolean test(ProxyRequest request) {
        String query = request.query();
        boolean found = query != null && find(query);
        return kind == Kind.ABSENT ? !found : found;
    }

    /** Whether a well-formed parameter named {@link #name} exists and, if this checks values, matches. */
    private boolean find(String query) {
        int length = query.length();
        int start = 0;
        while (start < length) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = start;
                while (equals < end && query.charAt(equals) != '=') {
                    equals++;
                }
                String candidate = FormDecoding.decode(query, start, equals);
                if (name.equals(candidate)) {
                    String decoded = equals == end ? "" : FormDecoding.decode(query, equals + 1, end);
                    if (decoded != null && matchesValue(decoded)) {
                        return true;
                    }
                }
            }
            start = end + 1;
        }
        return false;
    }

    private boolean matchesValue(String candidate) {
        return switch (kind) {
            case PRESENT, ABSENT -> true;
            case EQUAL_TO -> candidate.equals(value);
            case REGEX -> Objects.requireNonNull(regex).matcher(candidate).matches();
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PRESENT -> "QueryMatcher.present(" + name + ")";
            case ABSENT -> "QueryMatcher.absent(" + name + ")";
            case EQUAL_TO -> "QueryMatcher.equalTo(" + name + ", " + value + ")";
            case REGEX -> "QueryMatcher.regex(" + name + ", " + Objects.requireNonNull(regex).pattern() + ")";
        };
    }
}
