package dev.proxy4j.config;

import java.util.Objects;

/**
 * What the proxy lets through at the door, before any filter or backend sees a request. The
 * defaults are those of a careful edge proxy; each one is explained in docs/security.md.
 *
 * @param allowUnderscoresInHeaders false by default: header fields whose name contains {@code _}
 *     are dropped (nginx's {@code underscores_in_headers off}), since backends that read {@code _}
 *     as {@code -} would see {@code Transfer_Encoding} as a framing header the proxy ignored
 * @param allowTrace false by default: TRACE gets 405 (it echoes the request, cookies included)
 * @param h2cUpgrade false by default: {@code Upgrade: h2c} is ignored and the request served over
 *     HTTP/1.1 (RFC 9113 deprecates the upgrade); HTTP/2 without TLS by prior knowledge still works.
 *     Fixed when the proxy starts.
 * @param mergeSlashes true by default: {@code //} in a path becomes {@code /} before routing and is
 *     forwarded so (nginx's {@code merge_slashes on}); false refuses such paths with 400
 * @param escapedSlashes {@link EscapedSlashes#REJECT} by default
 * @param allowPathParameters false by default: a path with a {@code ;} gets 400. Servlet backends
 *     (Tomcat, Jetty, Spring) cut {@code ;params} out of each segment before they route, so
 *     {@code /private;x=1/data} - which no {@code /private} prefix matches - is served there as
 *     {@code /private/data}, and {@code /public/..;/private} climbs into {@code /private}: the routes
 *     and filters would judge one path and the backend serve another. Spring Security's firewall
 *     refuses {@code ;} by default for the same reason. True forwards such paths as they are (the
 *     routes then see {@code ;params} as part of their segment).
 */
public record RequestHygiene(boolean allowUnderscoresInHeaders, boolean allowTrace, boolean h2cUpgrade,
        boolean mergeSlashes, EscapedSlashes escapedSlashes, boolean allowPathParameters) {

    public static final RequestHygiene DEFAULTS = new RequestHygiene(false, false, false, true, EscapedSlashes.REJECT,
            false);


    public RequestHygiene {
        Objects.requireNonNull(escapedSlashes, "escapedSlashes");
    }

    public RequestHygiene withAllowUnderscoresInHeaders(boolean allow) {
        return new RequestHygiene(allow, allowTrace, h2cUpgrade, mergeSlashes, escapedSlashes, allowPathParameters);
    }

    public RequestHygiene withAllowTrace(boolean allow) {
        return new RequestHygiene(allowUnderscoresInHeaders, allow, h2cUpgrade, mergeSlashes, escapedSlashes, allowPathParameters);
    }

    public RequestHygiene withH2cUpgrade(boolean allow) {
        return new RequestHygiene(allowUnderscoresInHeaders, allowTrace, allow, mergeSlashes, escapedSlashes, allowPathParameters);
    }

    public RequestHygiene withMergeSlashes(boolean merge) {
        return new RequestHygiene(allowUnderscoresInHeaders, allowTrace, h2cUpgrade, merge, escapedSlashes,
                allowPathParameters);
    }

    public RequestHygiene withEscapedSlashes(EscapedSlashes action) {
        return new RequestHygiene(allowUnderscoresInHeaders, allowTrace, h2cUpgrade, mergeSlashes,
                Objects.requireNonNull(action, "escapedSlashes"), allowPathParameters);
    }

    public RequestHygiene withAllowPathParameters(boolean allow) {
        return new RequestHygiene(allowUnderscoresInHeaders, allowTrace, h2cUpgrade, mergeSlashes, escapedSlashes, allow);
    }
}
