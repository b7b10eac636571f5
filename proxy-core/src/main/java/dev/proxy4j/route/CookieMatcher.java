package dev.proxy4j.route;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.internal.Cookies;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Matches a request cookie: the first cookie of that name in the request's Cookie headers (an
 * HTTP/2 client may send several Cookie fields), its value compared exactly, without quotes.
 */
public final class CookieMatcher implements RequestPredicate {

    private final String name;
    private final @Nullable String value;

    private CookieMatcher(String name, @Nullable String value) {
        this.name = name;
        this.value = value;
    }

    /** Matches when the request has a cookie {@code name}, whatever its value. */
    public static CookieMatcher present(String name) {
        return new CookieMatcher(checkName(name), null);
    }

    /** Matches when the request's cookie {@code name} has exactly {@code value}. */
    public static CookieMatcher equalTo(String name, String value) {
        return new CookieMatcher(checkName(name), Objects.requireNonNull(value, "value"));
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!Checks.isToken(name)) {
            throw Checks.invalid("cookie name", name, "a token as RFC 9110 defines it");
        }
        return name;
    }

    @Override
    public boolean test(ProxyRequest request) {
        String found = Cookies.value(request.headers(), name);
        return found != null && (value == null || value.equals(found));
    }

    @Override
    public String toString() {
        return value == null ? "CookieMatcher.present(" + name + ")" : "CookieMatcher.equalTo(" + name + ", " + value + ")";
    }
}
