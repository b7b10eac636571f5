package dev.proxy4j.route;

import dev.proxy4j.http.ProxyRequest;

/** A condition on a request's head. Implementations are immutable and cheap: they run per request. */
@FunctionalInterface
public interface RequestPredicate {
    boolean test(ProxyRequest request);
}
