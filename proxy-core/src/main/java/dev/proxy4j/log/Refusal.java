package dev.proxy4j.log;

import java.util.Locale;

/**
 * Why the proxy refused a request: at the door, before any filter or backend saw it (a malformed
 * path, too many headers, ...), or by one of its own filters (a rate limit, an IP deny rule, an API
 * key, a JWT, or the WAF's request-hygiene rules). The access log names it
 * ({@code refused=escaped_slash}), {@link RequestLog#refusal()} gives it to listeners, metrics count
 * it ({@code proxy.requests.rejected}, tag {@code reason}), and for a door refusal the body of the
 * proxy's answer says {@link #reason()} under the status line: it describes the client's own
 * request, never the proxy or a backend. A filter marks its refusal with
 * {@link dev.proxy4j.context.RequestContext#refused(Refusal)}; a new reason is a new constant here.
 */
public enum Refusal {
    /** The path does not start with {@code /} (400). */
    PATH_NOT_ABSOLUTE(400, "path does not start with /"),
    /** A {@code %} not followed by two hex digits in the path (400). */
    BAD_PERCENT_ENCODING(400, "bad percent-encoding in path"),
    /** {@code %00} in the path (400). */
    ENCODED_NUL(400, "encoded NUL in path"),
    /** {@code %2F} or {@code %5C} in the path, refused by {@code escapedSlashes(REJECT)} (400). */
    ESCAPED_SLASH(400, "encoded slash or backslash in path"),
    /** {@code //} in the path, refused by {@code mergeSlashes(false)} (400). */
    EMPTY_SEGMENT(400, "empty segment in path"),
    /** A {@code ;} in the path, refused unless {@code allowPathParameters(true)} (400). */
    PATH_PARAMETER(400, "path parameter (;) in path"),
    /** A {@code ..} segment that climbs above {@code /} (400). */
    PATH_ABOVE_ROOT(400, "path climbs above the root"),
    /** A header field name that is not an RFC 9110 token (400). */
    BAD_HEADER_NAME(400, "header field name is not a token"),
    /** A header field value holding CR, LF or NUL, which only HTTP/2's framing can carry (400). */
    BAD_HEADER_VALUE(400, "header field value holds CR, LF or NUL"),
    /** A method that is not a token, or a target or authority with a space or control character (400). */
    BAD_REQUEST_LINE(400, "method, target or authority is malformed"),
    /** Transfer-Encoding in an HTTP/1.0 request, whose framing RFC 9112 6.1 calls faulty (400, connection closed). */
    BAD_FRAMING(400, "Transfer-Encoding in an HTTP/1.0 request"),
    /** An HTTP/2 request with keep-alive, proxy-connection, transfer-encoding or upgrade (RFC 9113 8.2.2) (400). */
    CONNECTION_SPECIFIC_FIELD(400, "connection-specific header field in an HTTP/2 request"),
    /** More header fields than {@code maxRequestHeaderCount} (431). */
    TOO_MANY_HEADERS(431, "too many header fields"),
    /** TRACE, refused unless {@code allowTrace(true)} (405). */
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    /**
     * The request's anomaly score reached the threshold of a {@code Waf} in blocking mode (403). The
     * body says no more than that: which rules matched is in the WAF's log, never in the answer.
     */
    WAF(403, "request blocked"),
    /** A declared Content-Length, or a chunk size, over {@code maxRequestBodyBytes} (413). */
    BODY_TOO_LARGE(413, "request body too large"),
    /**
     * Jetty's parser refused the request before the proxy saw it: malformed (400), a request line
     * (414) or headers (431) over the limit. Its own words go to the debug log of
     * {@code dev.proxy4j.jetty.internal.ErrorResponses}.
     */
    PARSER(400, "malformed request"),
    /** A rate limit's answer (429): {@code dev.proxy4j.ratelimit.RateLimit}. */
    RATE_LIMITED(429, "rate limit exceeded"),
    /** An IP allow/deny rule's answer (403): {@code dev.proxy4j.forward.IpAccess}. */
    ACCESS_DENIED(403, "client address not allowed"),
    /** No API key, or one that is not valid (401): {@code dev.proxy4j.auth.ApiKeys}. */
    API_KEY(401, "api key missing or not valid"),
    /** No bearer token, or one that is not valid (401): {@code dev.proxy4j.auth.Jwt}. */
    JWT(401, "bearer token missing or not valid");

    private final int status;
    private final String reason;
    private final String code;

    Refusal(int status, String reason) {
        this.status = status;
        this.reason = reason;
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The status the client gets. */
    public int status() {
        return status;
    }

    /** A short sentence about the client's request, as the body of the proxy's answer says it. */
    public String reason() {
        return reason;
    }

    /** The name in the access log, e.g. {@code escaped_slash}. */
    public String code() {
        return code;
    }
}
