package dev.proxy4j.upstream;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why the exchange with a backend failed, as a filter sees it (the stage from
 * {@code next.proceed(...)} fails with it) and as the proxy maps it to a status: the one place where
 * a failure kind becomes 502, 503, 504, 413 or 400. A filter that wraps this exception in another keeps
 * the status: the proxy looks for it among the causes.
 */
public final class UpstreamFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure, each with the status the client gets for it. */
    public enum Kind {
        /** The endpoint refused the connection, or could not be reached: nothing was sent. */
        CONNECT_REFUSED(502, true),
        /** The connection was not made within the upstream's connect timeout: nothing was sent. */
        CONNECT_TIMEOUT(502, true),
        /** No response headers within the response-headers timeout after the request was sent. */
        RESPONSE_TIMEOUT(504, false),
        /** The exchange went silent for longer than the idle timeout. */
        IDLE_TIMEOUT(504, false),
        /** The whole exchange took longer than the total timeout. */
        TOTAL_TIMEOUT(504, false),
        /** The connection closed or reset before the response headers. */
        RESET_BEFORE_HEADERS(502, false),
        /** The connection closed or reset while the response body was streaming. */
        RESET_AFTER_HEADERS(502, false),
        /** The backend's response could not be parsed. */
        MALFORMED_RESPONSE(502, false),
        /** The backend's response body was larger than a limit the proxy set on it. */
        RESPONSE_BODY_TOO_LARGE(502, false),
        /** The client's request body was larger than the proxy's limit. */
        REQUEST_BODY_TOO_LARGE(413, false),
        /** The client's request body could not be parsed (bad chunk framing): the client's fault, not the backend's. */
        MALFORMED_REQUEST_BODY(400, false),
        /** The upstream has no endpoint to send to (all removed, draining or unhealthy). */
        NO_ENDPOINT(503, true),
        /** Anything else that went wrong on the way to or from the backend. */
        OTHER(502, false);

        private final int status;
        private final boolean nothingSent;

        Kind(int status, boolean nothingSent) {
            this.status = status;
            this.nothingSent = nothingSent;
        }

        /** The status the client gets. */
        public int status() {
            return status;
        }

        /** True when no byte of the request can have reached a backend, so any method may be retried. */
        public boolean nothingSent() {
            return nothingSent;
        }

        /** True for the timeouts. */
        public boolean isTimeout() {
            return this == RESPONSE_TIMEOUT || this == IDLE_TIMEOUT || this == TOTAL_TIMEOUT;
        }
    }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public UpstreamFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The status the client gets for this failure. */
    public int status() {
        return kind.status();
    }

    /** The first {@link UpstreamFailure} among {@code failure} and its causes. */
    public static Optional<UpstreamFailure> find(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UpstreamFailure upstream) {
                return Optional.of(upstream);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
