package dev.proxy4j.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A pool of backend endpoints a route forwards to, the load balancer that spreads requests over
 * them, and how the proxy connects to them. Immutable; {@link #toBuilder()} makes a changed copy.
 *
 * <pre>{@code
 * Upstream api = Upstream.builder()
 *         .endpoint("http://10.0.0.1:8080", 3)
 *         .endpoint("http://10.0.0.2:8080")
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 */
public final class Upstream {

    /** 5 seconds, as Envoy's cluster {@code connect_timeout}; nginx's 60s would hold clients a minute per dead backend. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** 256 connections to each endpoint. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 256;
    /** 60 seconds, as nginx's {@code keepalive_timeout} in an {@code upstream} block. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** HTTP/1.1. */
    public static final UpstreamProtocol DEFAULT_PROTOCOL = UpstreamProtocol.HTTP_1_1;
    /** Smooth weighted round-robin, which is plain round-robin when all weights are equal. */
    public static final LoadBalancer DEFAULT_LOAD_BALANCER = LoadBalancer.weightedRoundRobin();

    private final String name;
    private final List<Endpoint> endpoints;
    private final LoadBalancer loadBalancer;
    private final EndpointSelector selector;
    private final Duration connectTimeout;
    private final int maxConnectionsPerEndpoint;
    private final Duration idleTimeout;
    private final UpstreamProtocol protocol;

    private Upstream(Builder b, EndpointSelector selector) {
        this.name = b.name != null ? b.name : b.endpoints.get(0).authority();
        this.endpoints = List.copyOf(b.endpoints);
        this.loadBalancer = b.loadBalancer;
        this.selector = selector;
        this.connectTimeout = b.connectTimeout;
        this.maxConnectionsPerEndpoint = b.maxConnectionsPerEndpoint;
        this.idleTimeout = b.idleTimeout;
        this.protocol = b.protocol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An upstream of these endpoints, each of weight 1, with every default. */
    public static Upstream of(String... uris) {
        Builder builder = builder();
        for (String uri : uris) {
            builder.endpoint(uri);
        }
        return builder.build();
    }

    /**
     * A builder holding this upstream's settings, to change them (the load balancer may be replaced
     * once) or add endpoints. Its {@code build()} makes a new selector.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The name used in logs: as set, or the first endpoint's authority. */
    public String name() {
        return name;
    }

    /** The endpoints, in the order they were added; unmodifiable. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** This upstream's selector, made by its load balancer once, when the upstream was built. */
    public EndpointSelector selector() {
        return selector;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxConnectionsPerEndpoint() {
        return maxConnectionsPerEndpoint;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public UpstreamProtocol protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "Upstream{name=" + name + ", endpoints=" + endpoints + ", loadBalancer=" + loadBalancer
                + ", protocol=" + protocol + ", connectTimeout=" + connectTimeout
                + ", maxConnectionsPerEndpoint=" + maxConnectionsPerEndpoint + ", idleTimeout=" + idleTimeout + '}';
    }

    /**
     * Builds an {@link Upstream}; needs at least one endpoint, every other setting has a default.
     * A setting given twice takes the second value, except the load balancer, which is set once.
     */
    public static final class Builder {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final Set<String> endpointKeys = new HashSet<>();
        private LoadBalancer loadBalancer = DEFAULT_LOAD_BALANCER;
        private boolean loadBalancerSet;
        /** Null until {@link #name(String)}: {@code build()} then names the upstream after its first endpoint. */
        private @Nullable String name;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxConnectionsPerEndpoint = DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private UpstreamProtocol protocol = DEFAULT_PROTOCOL;

        private Builder() {
        }

        private Builder(Upstream u) {
            u.endpoints.forEach(this::endpoint);
            loadBalancer = u.loadBalancer;
            name = u.name;
            connectTimeout = u.connectTimeout;
            maxConnectionsPerEndpoint = u.maxConnectionsPerEndpoint;
            idleTimeout = u.idleTimeout;
            protocol = u.protocol;
        }

        /** Adds an endpoint of weight 1, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(String uri) {
            return endpoint(Endpoint.of(uri));
        }

        /** Adds an endpoint of the given weight (1..1000). */
        public Builder endpoint(String uri, int weight) {
            return endpoint(Endpoint.of(uri, weight));
        }

        /** Adds an endpoint; a second one for the same scheme, host and port is refused. */
        public Builder endpoint(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!endpointKeys.add(endpoint.key())) {
                throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" (expected: each endpoint once)");
            }
            endpoints.add(endpoint);
            return this;
        }

        /** How requests are spread over the endpoints. Default: {@link LoadBalancer#weightedRoundRobin()}. */
        public Builder loadBalancer(LoadBalancer loadBalancer) {
            Objects.requireNonNull(loadBalancer, "loadBalancer");
            if (loadBalancerSet) {
                throw new IllegalStateException("loadBalancer was already set to " + this.loadBalancer);
            }
            this.loadBalancer = loadBalancer;
            loadBalancerSet = true;
            return this;
        }

        /** The name used in logs. Default: the first endpoint's authority, e.g. {@code 10.0.0.1:8080}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
            }
            this.name = name;
            return this;
        }

        /**
         * How long opening a connection to an endpoint (TCP, and TLS for https) may take before the
         * attempt fails. Default: 5 seconds, as Envoy's
         * cluster {@code connect_timeout}; nginx's {@code proxy_connect_timeout} of 60s is too lax.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * The most connections open to one endpoint at a time, busy and idle together; requests
         * beyond it wait for a connection. Default: 256. nginx's {@code max_conns} on a
         * {@code server} (unlimited by default); Envoy's circuit breaker {@code max_connections}
         * (1024 per cluster by default).
         */
        public Builder maxConnectionsPerEndpoint(int maxConnectionsPerEndpoint) {
            if (maxConnectionsPerEndpoint <= 0) {
                throw new IllegalArgumentException(
                        "maxConnectionsPerEndpoint: " + maxConnectionsPerEndpoint + " (expected: > 0)");
            }
            this.maxConnectionsPerEndpoint = maxConnectionsPerEndpoint;
            return this;
        }

        /**
         * How long a pooled keep-alive connection may sit idle before it is closed. Default: 60
         * seconds, as nginx's {@code keepalive_timeout} in an {@code upstream} block; Envoy's
         * {@code common_http_protocol_options.idle_timeout} is an hour. Keep it below the
         * backends' own idle timeout, so that the proxy closes first.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive("idleTimeout", idleTimeout);
            return this;
        }

        /**
         * The HTTP version spoken to the endpoints. Default: {@link UpstreamProtocol#HTTP_1_1}, as
         * Envoy's default (nginx needs {@code proxy_http_version 1.1} for it).
         */
        public Builder protocol(UpstreamProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * The upstream, with a new selector from its load balancer.
         *
         * @throws IllegalStateException when no endpoint was added
         */
        public Upstream build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("upstream: no endpoint (expected: at least one endpoint(...) call)");
            }
            EndpointSelector selector = loadBalancer.newSelector(List.copyOf(endpoints));
            if (selector == null) {
                throw new IllegalStateException("loadBalancer " + loadBalancer + " returned no selector");
            }
            return new Upstream(this, selector);
        }

        private static Duration positive(String setting, Duration value) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + ": " + value + " (expected: positive)");
            }
            return value;
        }
    }
}
