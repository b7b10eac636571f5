package dev.proxy4j.route;

/**
 * The segment-aware prefix rule shared by {@link PathMatcher#prefix} and {@link PathRewrites}:
 * {@code /api} matches {@code /api}, {@code /api/} and {@code /api/x} but not {@code /apix};
 * a prefix that ends with {@code /} matches every path that starts with it; {@code /} matches all.
 */
final class PathPrefix {

    private PathPrefix() {
    }

    static boolean matches(String prefix, String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    /**
     * The part of a matching {@code path} after {@code prefix} minus its trailing slash: empty, or
     * starting with {@code /}. With prefix {@code /api/} (or {@code /api}), {@code /api/x} leaves {@code /x}.
     */
    static String remainder(String prefix, String path) {
        return path.substring(withoutTrailingSlash(prefix).length());
    }

    static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
