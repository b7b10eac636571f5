package dev.proxy4j.http;

import java.util.Objects;

/** A response head plus its body; immutable, {@link #toBuilder()} makes a changed copy. */
public final class ProxyResponse {

    private final int status;
    private final Headers headers;
    private final Body body;

    private ProxyResponse(int status, Headers headers, Body body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public static Builder builder(int status) {
        return new Builder().status(status);
    }

    /** A small plain-text response, as the proxy's own answers are. */
    public static ProxyResponse text(int status, String text) {
        return builder(status)
                .headers(Headers.of("Content-Type", "text/plain; charset=utf-8"))
                .body(Body.ofUtf8(text))
                .build();
    }

    public Builder toBuilder() {
        return new Builder().status(status).headers(headers).body(body);
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public Body body() {
        return body;
    }

    @Override
    public String toString() {
        return "ProxyResponse[" + status + ' ' + headers + ' ' + body + ']';
    }

    /** Builds a {@link ProxyResponse}; the body defaults to empty. */
    public static final class Builder {
        private int status = 200;
        private Headers headers = Headers.empty();
        private Body body = Body.empty();

        private Builder() {
        }

        public Builder status(int status) {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
            }
            this.status = status;
            return this;
        }

        public Builder headers(Headers headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        public Builder body(Body body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        public ProxyResponse build() {
            return new ProxyResponse(status, headers, body);
        }
    }
}
