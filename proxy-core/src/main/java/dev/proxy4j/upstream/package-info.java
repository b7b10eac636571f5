/**
 * Upstreams: the pools of backend endpoints a route forwards to, how the proxy connects to them,
 * and the load balancers that pick an endpoint for each request.
 *
 * <p>A {@link dev.proxy4j.upstream.LoadBalancer} is a strategy; it makes one
 * {@link dev.proxy4j.upstream.EndpointSelector} per {@link dev.proxy4j.upstream.Upstream}, which
 * holds the rotation state. Built-ins come from the static factories on {@code LoadBalancer}.
 */
@NullMarked
package dev.proxy4j.upstream;

import org.jspecify.annotations.NullMarked;
