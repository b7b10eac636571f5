package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Matches the host the client asked for ({@link ProxyRequest#host()}: the authority without its port,
 * lower-cased), case-insensitively.
 *
 * <ul>
 *   <li>{@code api.example.com} matches that host only. An IPv6 literal is written with brackets:
 *       {@code [::1]}.
 *   <li>{@code *.example.com} matches any host that ends with {@code .example.com} and has at least one
 *       more label: {@code a.example.com} and {@code a.b.example.com}, but not {@code example.com}.
 * </ul>
 *
 * <p>A pattern is labels of letters, digits, {@code -} and {@code _} separated by single dots, with no
 * port; {@code *} alone is rejected, since a route that takes any host simply has no host predicate.
 * A request's host is compared as it arrived: a trailing dot ({@code example.com.}) is not removed.
 */
public final class HostMatcher implements RequestPredicate {

    private static final String EXPECTED = "a host name or *.suffix";

    private final String pattern;
    private final boolean exact;
    /** For a wildcard, the pattern without its {@code *}, e.g. {@code .example.com}. */
    private final String suffix;

    private HostMatcher(String pattern, boolean exact) {
        this.pattern = pattern;
        this.exact = exact;
        this.suffix = exact ? pattern : pattern.substring(1);
    }

    /** A matcher for {@code pattern}: an exact host name or {@code *.suffix}. */
    public static HostMatcher of(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.equals("*")) {
            throw Checks.invalid("host", pattern, EXPECTED + "; to take any host, add no host predicate");
        }
        String lower = pattern.toLowerCase(Locale.ROOT);
        boolean wildcard = lower.startsWith("*.");
        String name = wildcard ? lower.substring(2) : lower;
        boolean valid = name.startsWith("[") ? !wildcard && isIpv6Literal(name) : isHostName(name);
        if (!valid) {
            throw Checks.invalid("host", pattern, EXPECTED);
        }
        return new HostMatcher(lower, !wildcard);
    }

    /**
     * Matches when any of {@code patterns} does. Exact hosts are looked up in a hash set, wildcards
     * tried in order. A route table that indexes hosts itself should take the {@link HostMatcher}s.
     */
    public static RequestPredicate anyOf(List<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("host patterns: [] (expected: at least one)");
        }
        if (patterns.size() == 1) {
            return of(patterns.get(0));
        }
        Set<String> exactHosts = new HashSet<>();
        List<String> suffixes = new ArrayList<>();
        for (String pattern : patterns) {
            HostMatcher matcher = of(pattern);
            if (matcher.exact) {
                exactHosts.add(matcher.pattern);
            } else if (!suffixes.contains(matcher.suffix)) {
                suffixes.add(matcher.suffix);
            }
        }
        return new AnyOf(Set.copyOf(exactHosts), suffixes.toArray(new String[0]), List.copyOf(patterns));
    }

    @Override
    public boolean test(ProxyRequest request) {
        return matches(request.host());
    }

    /** Whether {@code host} (without a port) matches, ignoring case. */
    public boolean matches(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return exact ? lower.equals(pattern) : matchesSuffix(suffix, lower);
    }

    private static boolean matchesSuffix(String suffix, String host) {
        return host.length() > suffix.length() && host.endsWith(suffix);
    }

    /** Whether this matches one host only, so that a route table may index it by {@link #pattern()}. */
    public boolean isExact() {
        return exact;
    }

    /** The pattern, lower-cased: {@code api.example.com} or {@code *.example.com}. */
    public String pattern() {
        return pattern;
    }

    private static boolean isHostName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String name) {
        if (name.length() < 4 || !name.endsWith("]")) {
            return false;
        }
        for (int i = 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostMatcher that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return "HostMatcher(" + pattern + ")";
    }

    private static final class AnyOf implements RequestPredicate {
        private final Set<String> exactHosts;
        private final String[] suffixes;
        private final List<String> patterns;

        AnyOf(Set<String> exactHosts, String[] suffixes, List<String> patterns) {
            this.exactHosts = exactHosts;
            this.suffixes = suffixes;
            this.patterns = patterns;
        }

        @Override
        public boolean test(ProxyRequest request) {
            String host = request.host();
            if (exactHosts.contains(host)) {
                return true;
            }
            for (String suffix : suffixes) {
                if (matchesSuffix(suffix, host)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "HostMatcher.anyOf(" + patterns + ")";
        }
    }
}
