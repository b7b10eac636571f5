package dev.proxy4j.trace;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.Endpoint;

/**
 * The trace of one request (an OpenTelemetry SERVER span, say). Called from the request's event
 * loop or the backend client's threads, one call at a time for one request, never concurrently.
 */
public interface RequestTrace {

    /** A request not traced: every call does nothing and allocates nothing. */
    RequestTrace NONE = new RequestTrace() {
        @Override
        public String toString() {
            return "RequestTrace.NONE";
        }
    };

    /**
     * An attempt at a backend starts: {@code request} as it goes to {@code endpoint} (after the
     * filters and the route's rewrite), {@code attempt} 1 for the first try, 2 for the first retry.
     */
    default AttemptTrace attempt(ProxyRequest request, Endpoint endpoint, int attempt) {
        return AttemptTrace.NONE;
    }

    /** The exchange has ended: {@code log} is complete (route, status, failure, refusal, attempts). */
    default void end(RequestLog log) {
    }
}
