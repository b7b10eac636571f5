package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import java.util.Objects;

/**
 * The built-in {@link PathRewrite}s. Each works on the raw path without the query (the caller keeps
 * the query) and returns a path that starts with {@code /}. Prefixes follow the segment-aware rule of
 * {@link PathMatcher#prefix}: {@code /api} applies to {@code /api} and {@code /api/x}, not to
 * {@code /apix}; a path it does not apply to is returned unchanged.
 */
public final class PathRewrites {

    private PathRewrites() {
    }

    /**
     * Removes {@code prefix}: with {@code /api}, {@code /api/users} becomes {@code /users} and
     * {@code /api} becomes {@code /}.
     */
    public static PathRewrite stripPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Checks.checkPath("rewrite prefix", prefix);
        return new PrefixRewrite(prefix, "/", "stripPrefix(" + prefix + ")");
    }

    /**
     * Replaces {@code from} with {@code to}: with {@code /products} and {@code /api/v1/items},
     * {@code /products/42} becomes {@code /api/v1/items/42} and {@code /products} becomes
     * {@code /api/v1/items}. The two are joined with one slash whatever their trailing slashes
     * ({@code /a/} to {@code /b/} turns {@code /a/x} into {@code /b/x}); a path that is the prefix
     * itself becomes {@code to} as written.
     */
    public static PathRewrite replacePrefix(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Checks.checkPath("rewrite prefix", from);
        Checks.checkPath("rewrite replacement", to);
        return new PrefixRewrite(from, to, "replacePrefix(" + from + ", " + to + ")");
    }

    /**
     * When the whole path matches {@code regex}, replaces it with {@code replacement}, which may refer
     * to groups as {@link java.util.regex.Matcher#appendReplacement} does ({@code $1}, {@code ${name}},
     * {@code \$} for a dollar sign); otherwise leaves the path unchanged. A result that does not start
     * with {@code /} gets one in front.
     */
    public static PathRewrite regex(String regex, String replacement) {
        return RegexRewrite.of(regex, replacement);
    }

    /** Replaces every path with {@code path}. */
    public static PathRewrite setPath(String path) {
        Objects.requireNonNull(path, "path");
        Checks.checkPath("rewrite path", path);
        return new PathRewrite() {
            @Override
            public String rewrite(String ignored) {
                return path;
            }

            @Override
            public String toString() {
                return "PathRewrites.setPath(" + path + ")";
            }
        };
    }

    /**
     * When the path matches the template {@code from} (syntax of {@link PathMatcher#template}),
     * returns {@code to} with the captured variables put in: {@code /users/{id}} to
     * {@code /v2/people/{id}} turns {@code /users/42} into {@code /v2/people/42}. A catch-all is written
     * {@code {*rest}} in both: {@code /static/{*rest}} to {@code /assets/{*rest}} turns {@code /static}
     * into {@code /assets} and {@code /static/a/b} into {@code /assets/a/b}. Values are inserted raw, as
     * captured. Every variable of {@code to} must be one of {@code from}. Other paths are unchanged.
     */
    public static PathRewrite template(String from, String to) {
        return TemplateRewrite.of(from, to);
    }

    private static final class PrefixRewrite implements PathRewrite {
        private final String from;
        private final String to;
        private final String toWithoutTrailingSlash;
        private final String description;

        PrefixRewrite(String from, String to, String description) {
            this.from = from;
            this.to = to;
            this.toWithoutTrailingSlash = PathPrefix.withoutTrailingSlash(to);
            this.description = description;
        }

        @Override
        public String rewrite(String path) {
            if (!PathPrefix.matches(from, path)) {
                return path;
            }
            String rest = PathPrefix.remainder(from, path);
            return rest.isEmpty() ? to : toWithoutTrailingSlash + rest;
        }

        @Override
        public String toString() {
            return "PathRewrites." + description;
        }
    }
}
