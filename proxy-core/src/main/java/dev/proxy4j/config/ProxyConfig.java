package dev.proxy4j.config;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a proxy is: where it listens, its routes, and the proxy-wide policies. Immutable;
 * validated by {@link Builder#build()}.
 */
public final class ProxyConfig {

    /** Graceful stop waits this long for in-flight requests by default (Envoy's drain time is 600 s; most deploys want less). */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A client connection with no request in flight is closed after this long by default (nginx's
     * {@code keepalive_timeout} is 75 s). While a backend works on a request, the route's timeouts govern.
     */
    public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final List<Listener> listeners;
    private final RouteTable routes;
    private final List<ProxyFilter> filters;
    private final ForwardingPolicy forwarding;
    private final Timeouts timeouts;
    private final Limits limits;
    private final Duration drainTimeout;
    private final Duration clientIdleTimeout;

    private ProxyConfig(Builder b) {
        this.listeners = List.copyOf(b.listeners);
        this.routes = new RouteTable(b.routes);
        this.filters = List.copyOf(b.filters);
        this.forwarding = b.forwarding;
        this.timeouts = b.timeouts;
        this.limits = b.limits;
        this.drainTimeout = b.drainTimeout;
        this.clientIdleTimeout = b.clientIdleTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Listener> listeners() {
        return listeners;
    }

    public RouteTable routes() {
        return routes;
    }

    /** Filters every request passes through before its route's own filters. */
    public List<ProxyFilter> filters() {
        return filters;
    }

    public ForwardingPolicy forwarding() {
        return forwarding;
    }

    /** Timeouts for routes that set none of their own. */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** The timeouts that apply to {@code route}. */
    public Timeouts timeoutsFor(Route route) {
        return route.timeoutsOver(timeouts);
    }

    public Limits limits() {
        return limits;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public Duration clientIdleTimeout() {
        return clientIdleTimeout;
    }

    /** Builds a {@link ProxyConfig}. */
    public static final class Builder {
        private final List<Listener> listeners = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<ProxyFilter> filters = new ArrayList<>();
        private ForwardingPolicy forwarding = ForwardingPolicy.defaults();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration clientIdleTimeout = DEFAULT_CLIENT_IDLE_TIMEOUT;

        private Builder() {
        }

        public Builder listener(Listener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder route(Consumer<Route.Builder> configurer) {
            Route.Builder builder = Route.builder();
            configurer.accept(builder);
            return route(builder.build());
        }

        public Builder filter(ProxyFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        public Builder forwarding(ForwardingPolicy forwarding) {
            this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
            return this;
        }

        public Builder forwarding(Consumer<ForwardingPolicy.Builder> configurer) {
            ForwardingPolicy.Builder builder = forwarding.toBuilder();
            configurer.accept(builder);
            return forwarding(builder.build());
        }

        public Builder responseHeadersTimeout(Duration timeout) {
            timeouts = timeouts.withResponseHeaders(Checks.positiveOrZero("responseHeadersTimeout", timeout));
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            timeouts = timeouts.withIdle(Checks.positiveOrZero("idleTimeout", timeout));
            return this;
        }

        public Builder totalTimeout(Duration timeout) {
            timeouts = timeouts.withTotal(Checks.positiveOrZero("totalTimeout", timeout));
            return this;
        }

        public Builder maxRequestHeaderBytes(int bytes) {
            limits = new Limits(bytes, limits.maxRequestBodyBytes());
            return this;
        }

        /** {@link Limits#UNLIMITED} for no limit. */
        public Builder maxRequestBodyBytes(long bytes) {
            limits = new Limits(limits.maxRequestHeaderBytes(), bytes);
            return this;
        }

        public Builder drainTimeout(Duration timeout) {
            drainTimeout = Checks.positive("drainTimeout", timeout);
            return this;
        }

        /** How long an idle client connection is kept open; default {@link #DEFAULT_CLIENT_IDLE_TIMEOUT}. */
        public Builder clientIdleTimeout(Duration timeout) {
            clientIdleTimeout = Checks.positive("clientIdleTimeout", timeout);
            return this;
        }

        public ProxyConfig build() {
            if (listeners.isEmpty()) {
                throw new IllegalStateException("listeners: none (expected: at least one listen(...) call)");
            }
            if (routes.isEmpty()) {
                throw new IllegalStateException("routes: none (expected: at least one route(...) call)");
            }
            return new ProxyConfig(this);
        }
    }
}
