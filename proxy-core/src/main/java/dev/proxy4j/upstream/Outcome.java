package dev.proxy4j.upstream;

import org.jspecify.annotations.Nullable;

/**
 * What came of one attempt at an endpoint, as the adapter reports it to
 * {@link Selection#complete(Outcome)}: the status of the response, when one came; the failure,
 * when the exchange failed (before or after the response headers); and how long the endpoint
 * took, from sending the request to the response headers or the failure.
 *
 * <p>An outcome with neither a status nor a failure is an attempt given up before anything came
 * back (the client went away): it counts neither for nor against the endpoint.
 *
 * @param status the response status, 100..599, or 0 when no response came
 * @param failure why the exchange failed, or null when it did not
 * @param latencyNanos nanoseconds from sending to the response headers or the failure; 0 or more
 */
public record Outcome(int status, UpstreamFailure.@Nullable Kind failure, long latencyNanos) {

    public Outcome {
        if (status != 0 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("status: " + status + " (expected: 0 or 100..599)");
        }
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos: " + latencyNanos + " (expected: >= 0)");
        }
    }

    /** A response with {@code status} arrived after {@code latencyNanos}. */
    public static Outcome response(int status, long latencyNanos) {
        return new Outcome(status, null, latencyNanos);
    }

    /** The exchange failed with {@code failure} before any response. */
    public static Outcome failure(UpstreamFailure.Kind failure, long latencyNanos) {
        return new Outcome(0, failure, latencyNanos);
    }

    /** The attempt was given up before anything came back; it counts neither way. */
    public static Outcome abandoned(long latencyNanos) {
        return new Outcome(0, null, latencyNanos);
    }

    /**
     * True for a 5xx status, and for a failure that says something about the endpoint: every kind
     * but {@code REQUEST_BODY_TOO_LARGE}, {@code RESPONSE_BODY_TOO_LARGE} (limits of the proxy's)
     * and {@code NO_ENDPOINT}.
     */
    public boolean countsAsFailure() {
        return status >= 500 || endpointFailure();
    }

    /** True for 502, 503, 504, and for a failure that {@link #countsAsFailure() counts}. */
    public boolean isGatewayFailure() {
        return status == 502 || status == 503 || status == 504 || endpointFailure();
    }

    /** True for a response below 500 with no failure after it. */
    public boolean countsAsSuccess() {
        return failure == null && status != 0 && status < 500;
    }

    private boolean endpointFailure() {
        return failure != null
                && failure != UpstreamFailure.Kind.REQUEST_BODY_TOO_LARGE
                && failure != UpstreamFailure.Kind.RESPONSE_BODY_TOO_LARGE
                && failure != UpstreamFailure.Kind.NO_ENDPOINT;
    }
}
