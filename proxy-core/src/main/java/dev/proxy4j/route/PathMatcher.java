package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.http.ProxyRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Matches the request's raw path ({@link ProxyRequest#path()}, still percent-encoded, without the
 * query), case-sensitively. The path is expected to be normalised before routing ({@code ..} and
 * {@code //} resolved); this matcher compares what it is given and does not normalise.
 *
 * <ul>
 *   <li>{@link #exact}: the path equals the given one.
 *   <li>{@link #prefix}: segment-aware. {@code /api} matches {@code /api}, {@code /api/} and
 *       {@code /api/x} but not {@code /apix}; a prefix ending in {@code /} ({@code /api/}) matches every
 *       path starting with it (not {@code /api}); {@code /} matches every path.
 *   <li>{@link #template}: {@code /users/{id}/orders/{orderId}}; {@code {name}} matches exactly one
 *       non-empty segment; a last {@code {*rest}} or {@code **} matches the remainder, zero or more
 *       segments. A catch-all captures the remainder with its leading slash ({@code ""} for none).
 *       Text segments compare raw, so {@code /a%20b} matches only {@code %20}, not a space.
 *   <li>{@link #regex}: the whole path must match ({@link java.util.regex.Matcher#matches()}).
 * </ul>
 */
public final class PathMatcher implements RequestPredicate {

    /** How a {@link PathMatcher} compares, in the order a route table usually tries them. */
    public enum Kind { EXACT, PREFIX, TEMPLATE, REGEX }

    private final Kind kind;
    private final String pattern;
    private final @Nullable PathTemplate template;
    private final @Nullable Pattern regex;

    private PathMatcher(Kind kind, String pattern, @Nullable PathTemplate template, @Nullable Pattern regex) {
        this.kind = kind;
        this.pattern = pattern;
        this.template = template;
        this.regex = regex;
    }

    /** Matches exactly {@code path}. */
    public static PathMatcher exact(String path) {
        Objects.requireNonNull(path, "path");
        return new PathMatcher(Kind.EXACT, Checks.checkPath("path", path), null, null);
    }

    /** Matches {@code prefix} as a whole segment or more; see the class comment. */
    public static PathMatcher prefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new PathMatcher(Kind.PREFIX, Checks.checkPath("path prefix", prefix), null, null);
    }

    /** Matches a template such as {@code /users/{id}} or {@code /static/{*rest}}; see the class comment. */
    public static PathMatcher template(String template) {
        Objects.requireNonNull(template, "template");
        return new PathMatcher(Kind.TEMPLATE, template, PathTemplate.parse("path template", template, true), null);
    }

    /** Matches when the whole path matches {@code regex}. */
    public static PathMatcher regex(String regex) {
        Objects.requireNonNull(regex, "regex");
        return new PathMatcher(Kind.REGEX, regex, null, Checks.compile("path regex", regex));
    }

    @Override
    public boolean test(ProxyRequest request) {
        return matches(request.path());
    }

    /** Whether the raw {@code path} matches. */
    public boolean matches(String path) {
        return switch (kind) {
            case EXACT -> path.equals(pattern);
            case PREFIX -> PathPrefix.matches(pattern, path);
            case TEMPLATE -> template().match(path, null);
            case REGEX -> regex().matcher(path).matches();
        };
    }

    /**
     * The template variables captured from the raw {@code path} (raw values, not decoded), in template
     * order, or empty when the path does not match. Matchers other than templates capture nothing:
     * they give an empty map on a match.
     */
    public Optional<Map<String, String>> match(String path) {
        if (kind != Kind.TEMPLATE) {
            return matches(path) ? Optional.of(Map.of()) : Optional.empty();
        }
        PathTemplate template = template();
        List<String> names = template.variables();
        String[] values = new String[names.size()];
        if (!template.match(path, values)) {
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>(names.size() * 2);
        for (int i = 0; i < values.length; i++) {
            variables.put(names.get(i), values[i]);
        }
        return Optional.of(Collections.unmodifiableMap(variables));
    }

    public Kind kind() {
        return kind;
    }

    /** The path, prefix, template or regular expression this matcher was made from. */
    public String pattern() {
        return pattern;
    }

    private PathTemplate template() {
        return Objects.requireNonNull(template);
    }

    private Pattern regex() {
        return Objects.requireNonNull(regex);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathMatcher that && kind == that.kind && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + pattern.hashCode();
    }

    @Override
    public String toString() {
        return "PathMatcher." + kind.name().toLowerCase(Locale.ROOT) + "(" + pattern + ")";
    }
}
