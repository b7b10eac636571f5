package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.log.RequestLogListener;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What can change while the proxy runs, as one snapshot: the configuration's routes, filters,
 * forwarding and timeouts, and the pools of the upstreams its routes name. A request acquires the
 * snapshot current when it arrives and keeps it to the end; a snapshot replaced by a reconfigure is
 * retired (its pools released) once its last request has released it.
 */
final class Routing {

    private final ProxyConfig config;
    private final Map<Route, RouteRuntime> runtimes = new IdentityHashMap<>();
    private final List<UpstreamPools.Pool> pools = new ArrayList<>();
    /** Per upstream of the snapshot, what closes connections to endpoints that leave its group. */
    private final Map<Upstream, RemovedEndpoints> watchers = new IdentityHashMap<>();
    private final UpstreamPools registry;
    private final boolean emitsRequestId;
    private final Encoders encoders;
    private final List<RequestLogListener> listeners;
    /** One for being current, plus one per request in flight; 0 means retired. */
    private final AtomicInteger references = new AtomicInteger(1);

    /**
     * @param fixed listeners fixed at start (the metrics), after the configuration's own
     * @throws IllegalStateException when {@code config} offers an encoding that cannot be loaded
     */
    Routing(ProxyConfig config, UpstreamPools registry, Encoders encoders, List<RequestLogListener> fixed) {
        encoders.load(config);
        this.encoders = encoders;
        this.config = config;
        List<RequestLogListener> all = new ArrayList<>(config.requestLogListeners());
        all.addAll(fixed);
        this.listeners = List.copyOf(all);
        this.registry = registry;
        this.emitsRequestId = config.forwarding().emitted().contains(ForwardedHeader.X_REQUEST_ID);
        Map<Upstream, UpstreamRuntime> upstreams = new IdentityHashMap<>();
        try {
            for (Upstream upstream : config.upstreams()) {
                UpstreamPools.Pool pool = registry.retain(upstream);
                pools.add(pool);
                upstreams.put(upstream, new UpstreamRuntime(upstream, pool));
            }
        } catch (RuntimeException e) {
            pools.forEach(registry::release);
            throw e;
        }
        upstreams.forEach((upstream, runtime) -> {
            RemovedEndpoints watcher = new RemovedEndpoints(runtime);
            upstream.group().addListener(watcher);
            watchers.put(upstream, watcher);
        });
        for (Route route : config.routes().routes()) {
            List<UpstreamRuntime> targets = route.target().upstreams().stream().map(upstreams::get).toList();
            runtimes.put(route, new RouteRuntime(route, config.filtersFor(route), config.timeoutsFor(route), targets));
        }
    }

    ProxyConfig config() {
        return config;
    }

    /** Every request's log goes to these: the configuration's listeners, then those fixed at start. */
    List<RequestLogListener> listeners() {
        return listeners;
    }

    /** Whether responses echo the request id (worked out once per snapshot). */
    boolean emitsRequestId() {
        return emitsRequestId;
    }

    /** The encoders the configuration's compression uses, loaded. */
    Encoders encoders() {
        return encoders;
    }

    RouteRuntime runtime(Route route) {
        RouteRuntime runtime = runtimes.get(route);
        if (runtime == null) {
            throw new IllegalStateException("route " + route.name() + " is not in this snapshot");
        }
        return runtime;
    }

    /** Holds the snapshot for one request; false when it was retired meanwhile (take the current one again). */
    boolean acquire() {
        for (;;) {
            int count = references.get();
            if (count == 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Lets go of the snapshot once: by a request that ends, or by the proxy when the snapshot is replaced. */
    void release() {
        if (references.decrementAndGet() == 0) {
            watchers.forEach((upstream, watcher) -> upstream.group().removeListener(watcher));
            pools.forEach(registry::release);
        }
    }
}
