package dev.proxy4j.trace;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;

/**
 * Traces the requests a proxy handles. {@link #start} is called once per request on its event loop,
 * after the proxy has read the request head and before any filter: what it returns is told about
 * each attempt at a backend and about the end of the exchange. Nothing here may block or take a
 * lock that a loop could wait on.
 *
 * <p>{@link #none()}, the default, costs one call per request and allocates nothing: its trace and
 * its attempts are shared constants, and the request's own trace headers pass through untouched.
 */
public interface ProxyTracing {

    /** No tracing: the default. */
    static ProxyTracing none() {
        return NoTracing.INSTANCE;
    }

    /**
     * The trace of one request, started now; {@link RequestTrace#NONE} for a request not traced.
     * {@code request} is the request as the client sent it (after trusted proxies), with its trace
     * context headers; {@code ctx} is its context, whose route is known only later.
     */
    RequestTrace start(ProxyRequest request, RequestContext ctx);

    /** False for {@link #none()}. */
    default boolean enabled() {
        return true;
    }
}
