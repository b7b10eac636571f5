package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.http.ProxyRequest;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Matches the request's method against a set of methods. Methods are case-sensitive tokens
 * (RFC 9110); the given ones are upper-cased, so {@code of("get")} matches {@code GET} but a request
 * whose method is {@code get} matches nothing.
 */
public final class MethodMatcher implements RequestPredicate {

    private final Set<String> methods;

    private MethodMatcher(Set<String> methods) {
        this.methods = methods;
    }

    /** Matches any of {@code methods}, e.g. {@code of("GET", "HEAD")}. */
    public static MethodMatcher of(String... methods) {
        Objects.requireNonNull(methods, "methods");
        return of(Arrays.asList(methods));
    }

    /** Matches any of {@code methods}. */
    public static MethodMatcher of(Collection<String> methods) {
        Objects.requireNonNull(methods, "methods");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("methods: [] (expected: at least one)");
        }
        Set<String> upper = new LinkedHashSet<>();
        for (String method : methods) {
            Objects.requireNonNull(method, "method");
            if (!Checks.isToken(method)) {
                throw Checks.invalid("method", method, "an HTTP method token");
            }
            upper.add(method.toUpperCase(Locale.ROOT));
        }
        return new MethodMatcher(Set.copyOf(upper));
    }

    @Override
    public boolean test(ProxyRequest request) {
        return methods.contains(request.method());
    }

    /** The upper-cased methods this matches. */
    public Set<String> methods() {
        return methods;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MethodMatcher that && methods.equals(that.methods);
    }

    @Override
    public int hashCode() {
        return methods.hashCode();
    }

    @Override
    public String toString() {
        return "MethodMatcher" + methods.stream().sorted().toList();
    }
}
