package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.Selection;

/**
 * What an {@link UpstreamCall} belongs to: the client's exchange ({@link ClientExchange}), or the
 * proxy's own detached one ({@link DetachedCall}, a cache's background revalidation). It learns of
 * each attempt and of the answer, settles the answer's selection when its body is done with, and
 * says whether more attempts are worth making.
 */
interface AttemptHost {

    /** An attempt is being made (the latest one is aborted when a client's exchange ends without an answer). */
    void attempting(BackendAttempt attempt);

    /** The attempt that answered; returns the body to hand on (the same one, or one that settles the selection). */
    Body received(Body body, Selection selection, Outcome outcome);

    /** False once no more attempts are worth making (the client went away, the exchange ended). */
    boolean inFlight();

    RequestLogBuilder log();

    Ticker ticker();

    int loop();

    /** What becomes of the backend's Server and X-Powered-By fields in its answer. */
    dev.proxy4j.config.BackendIdentity backendIdentity();

    /** The client's connection, for a PROXY protocol header to the backend; none for the proxy's own detached calls. */
    default org.eclipse.jetty.server.@org.jspecify.annotations.Nullable ConnectionMetaData clientConnection() {
        return null;
    }

    /** The fields of the client's request, which the core request's headers were copied from; none for detached calls. */
    default org.eclipse.jetty.http.@org.jspecify.annotations.Nullable HttpFields clientFields() {
        return null;
    }

    /** The request's trace, whose attempts become child spans; none for the proxy's own detached calls. */
    default dev.proxy4j.trace.RequestTrace trace() {
        return dev.proxy4j.trace.RequestTrace.NONE;
    }
}
