package dev.proxy4j.route;

/**
 * Turns the path a client asked for into the path the backend gets. Works on the raw
 * (percent-encoded) path without the query; the query is carried over unchanged by the caller.
 * Implementations are immutable.
 */
@FunctionalInterface
public interface PathRewrite {

    /** @param path the raw request path, starting with {@code /}; @return the new raw path, starting with {@code /} */
    String rewrite(String path);

    /** Leaves the path as it is. */
    static PathRewrite none() {
        return path -> path;
    }
}
