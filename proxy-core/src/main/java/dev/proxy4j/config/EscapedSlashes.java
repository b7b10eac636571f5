package dev.proxy4j.config;

/**
 * What the proxy does with an encoded slash ({@code %2F}) or backslash ({@code %5C}) in a request's
 * path, in the manner of Envoy's {@code path_with_escaped_slashes_action}. (A raw {@code \} is not a
 * URI character: Jetty's parser refuses it with 400 whatever this says.)
 * Routes and filters must see the path the backend will act on, or a route can be walked around:
 * {@code /private%2Fx} does not match the prefix {@code /private}, yet a backend that decodes it
 * serves {@code /private/x}.
 */
public enum EscapedSlashes {
    /** 400 with the reason in the body (the default): nothing ambiguous reaches a route or a backend. */
    REJECT,
    /**
     * Left encoded ({@code %2F}, {@code %5C}) and forwarded as such: one path segment for the routes.
     * Only for backends known to keep them encoded too.
     */
    KEEP,
    /**
     * Decoded to {@code /} before routing ({@code %5C} too), then slashes merged and dot segments
     * removed as for any path, and the decoded path is forwarded: what the routes match is what the
     * backend gets (Envoy's {@code UNESCAPE_AND_FORWARD}).
     */
    DECODE
}
