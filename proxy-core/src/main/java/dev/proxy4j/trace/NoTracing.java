package dev.proxy4j.trace;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;

/** {@link ProxyTracing#none()}. */
enum NoTracing implements ProxyTracing {
    INSTANCE;

    @Override
    public RequestTrace start(ProxyRequest request, RequestContext ctx) {
        return RequestTrace.NONE;
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public String toString() {
        return "none";
    }
}
