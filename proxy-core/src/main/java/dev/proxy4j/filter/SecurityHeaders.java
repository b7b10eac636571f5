package dev.proxy4j.filter;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Security response headers set in one place, for every answer (the backend's and the proxy's
 * own): each is set only when the response has none (the application's own value wins), or, with
 * {@link Builder#override()}, always. {@link #preset()} is a strict, commonly used set; headers can
 * be added, changed or dropped one by one. HSTS goes only on responses to HTTPS requests, as RFC
 * 6797 asks.
 */
public final class SecurityHeaders implements ProxyFilter {

    public static final String HSTS = "Strict-Transport-Security";

    private final Map<String, String> headers;
    private final boolean override;

    private SecurityHeaders(Builder b) {
        this.headers = Map.copyOf(b.headers);
        this.override = b.override;
    }

    /**
     * HSTS for a year with subdomains; {@code Content-Security-Policy: frame-ancestors 'self'} and
     * {@code X-Frame-Options: SAMEORIGIN} (no framing by other sites); {@code X-Content-Type-Options:
     * nosniff}; {@code Referrer-Policy: strict-origin-when-cross-origin}; a {@code Permissions-Policy}
     * that turns off camera, microphone and geolocation. Set if absent.
     */
    public static Builder preset() {
        return new Builder()
                .header(HSTS, "max-age=31536000; includeSubDomains")
                .header("Content-Security-Policy", "frame-ancestors 'self'")
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "strict-origin-when-cross-origin")
                .header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }

    /** No headers yet. */
    public static Builder builder() {
        return new Builder();
    }

    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        boolean https = "https".equals(request.scheme());
        return next.proceed(request).thenApply(response -> {
            Headers.Builder out = null;
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String name = header.getKey();
                if (name.equals(HSTS) && !https) {
                    continue;
                }
                if (override || response.headers().get(name) == null) {
                    if (out == null) {
                        out = response.headers().toBuilder();
                    }
                    out.set(name, header.getValue());
                }
            }
            return out == null ? response : response.toBuilder().headers(out.build()).build();
        });
    }

    @Override
    public String toString() {
        return "SecurityHeaders[" + headers.keySet() + (override ? ", override" : "") + ']';
    }

    /** Builds {@link SecurityHeaders}. */
    public static final class Builder {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean override;

        private Builder() {
        }

        /** Sets (or replaces) one header; a name such as {@code Content-Security-Policy}. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (!Checks.isToken(Objects.requireNonNull(name, "name"))) {
                throw Checks.invalid("securityHeaders", name, "a header name");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw Checks.invalid("securityHeaders." + name, value, "a value without CR or LF");
            }
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name.equalsIgnoreCase(HSTS) ? HSTS : name, value);
            return this;
        }

        /** Drops one header of the set, e.g. X-Frame-Options where CSP frame-ancestors is enough. */
        public Builder without(String name) {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            return this;
        }

        /** Replace what the backend sent, rather than only filling in what it did not. */
        public Builder override() {
            this.override = true;
            return this;
        }

        public SecurityHeaders build() {
            return new SecurityHeaders(this);
        }
    }
}
