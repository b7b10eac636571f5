package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Matches a request header. Names compare case-insensitively; values compare exactly, case-sensitively,
 * as they arrived. A header may repeat: {@link #equalTo} and {@link #regex} match when any of its
 * fields does. Each field is one value: {@code Accept: a, b} is the single value {@code "a, b"},
 * not split on commas.
 */
public final class HeaderMatcher implements RequestPredicate {

    private enum Kind { PRESENT, ABSENT, EQUAL_TO, REGEX }

    private final Kind kind;
    private final String name;
    private final @Nullable String value;
    private final @Nullable Pattern regex;

    private HeaderMatcher(Kind kind, String name, @Nullable String value, @Nullable Pattern regex) {
        this.kind = kind;
        this.name = name;
        this.value = value;
        this.regex = regex;
    }

    /** Matches when the request has a header {@code name}, whatever its value (empty included). */
    public static HeaderMatcher present(String name) {
        return new HeaderMatcher(Kind.PRESENT, checkName(name), null, null);
    }

    /** Matches when the request has no header {@code name}. */
    public static HeaderMatcher absent(String name) {
        return new HeaderMatcher(Kind.ABSENT, checkName(name), null, null);
    }

    /** Matches when a header {@code name} has exactly {@code value}. */
    public static HeaderMatcher equalTo(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        return new HeaderMatcher(Kind.EQUAL_TO, name, value, null);
    }

    /** Matches when the whole value of a header {@code name} matches {@code regex}. */
    public static HeaderMatcher regex(String name, String regex) {
        checkName(name);
        Objects.requireNonNull(regex, "regex");
        return new HeaderMatcher(Kind.REGEX, name, null, Checks.compile("header regex", regex));
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!Checks.isToken(name)) {
            throw Checks.invalid("header name", name, "a header name token");
        }
        return name;
    }

    @Override
    public boolean test(ProxyRequest request) {
        Headers headers = request.headers();
        boolean found = false;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equalsIgnoreCase(name)) {
                if (kind == Kind.PRESENT || kind == Kind.ABSENT) {
                    found = true;
                    break;
                }
                if (matchesValue(headers.value(i))) {
                    return true;
                }
            }
        }
        return kind == Kind.ABSENT ? !found : found;
    }

    private boolean matchesValue(String candidate) {
        if (kind == Kind.EQUAL_TO) {
            return candidate.equals(value);
        }
        return Objects.requireNonNull(regex).matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PRESENT -> "HeaderMatcher.present(" + name + ")";
            case ABSENT -> "HeaderMatcher.absent(" + name + ")";
            case EQUAL_TO -> "HeaderMatcher.equalTo(" + name + ", " + value + ")";
            case REGEX -> "HeaderMatcher.regex(" + name + ", " + Objects.requireNonNull(regex).pattern() + ")";
        };
    }
}
