package dev.proxy4j.config.file;

import dev.proxy4j.upstream.DnsResolution;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code upstreams.NAME} and a route's inline {@code upstream}: onto {@link Upstream.Builder}. */
final class UpstreamReader {

    static final String ENDPOINT_EXPECTED = "an absolute http(s) URI such as http://127.0.0.1:9000";

    private UpstreamReader() {
    }

    /** An upstream written as a mapping; {@code name} is its key under {@code upstreams}, or null inline. */
    static Upstream read(Value value, @Nullable String name) {
        Value.Section s = value.section("endpoints", "loadBalancer", "connectTimeout",
                "maxConnectionsPerEndpoint", "idleTimeout", "protocol", "proxyProtocol", "healthCheck", "outlierDetection", "panicRouting", "panicThreshold",
                "retry", "resolve");
        Upstream.Builder b = Upstream.builder();
        if (name != null) {
            value.run(() -> b.name(name));
        }
        addEndpoints(s.require("endpoints"), b);
        Value v;
        if ((v = s.get("loadBalancer")) != null) {
            b.loadBalancer(LoadBalancerReader.read(v));
        }
        if ((v = s.get("connectTimeout")) != null) {
            Value at = v;
            at.run(() -> b.connectTimeout(at.duration()));
        }
        if ((v = s.get("maxConnectionsPerEndpoint")) != null) {
            b.maxConnectionsPerEndpoint(v.integer(1, 1_000_000));
        }
        if ((v = s.get("idleTimeout")) != null) {
            Value at = v;
            at.run(() -> b.idleTimeout(at.duration()));
        }
        if ((v = s.get("protocol")) != null) {
            b.protocol(v.choice("http/1.1", "http/2").equals("http/2") ? UpstreamProtocol.HTTP_2 : UpstreamProtocol.HTTP_1_1);
        }
        if ((v = s.get("proxyProtocol")) != null) {
            Value at = v;
            b.proxyProtocol(at.build(() -> dev.proxy4j.forward.ProxyProtocol.parse(at.string())));
        }
        if ((v = s.get("healthCheck")) != null) {
            b.healthCheck(HealthReader.healthCheck(v));
        }
        if ((v = s.get("outlierDetection")) != null) {
            OutlierDetection detection = HealthReader.outlierDetection(v);
            if (detection != null) {
                b.outlierDetection(detection);
            }
        }
        boolean panicRouting = Upstream.DEFAULT_PANIC_ROUTING;
        if ((v = s.get("panicRouting")) != null) {
            panicRouting = v.bool();
            b.panicRouting(panicRouting);
        }
        if ((v = s.get("panicThreshold")) != null) {
            int percent = v.integer(0, 100);
            if (percent > 0 && !panicRouting) {
                throw v.invalid("0 when panicRouting is false");
            }
            b.panicThreshold(percent);
        }
        if ((v = s.get("retry")) != null) {
            b.retryPolicy(RetryReader.read(v));
        }
        if ((v = s.get("resolve")) != null) {
            DnsResolution resolution = resolve(v);
            if (resolution != null) {
                b.resolve(resolution);
            }
        }
        return value.build(b::build);
    }

    /**
     * {@code resolve: true} (every default), {@code false} (none), or a mapping of
     * {@code interval}, {@code maxFailureInterval} and {@code onEmpty} ({@code keep} or {@code remove}).
     */
    private static @Nullable DnsResolution resolve(Value value) {
        if (!value.isMap()) {
            return value.bool() ? DnsResolution.defaults() : null;
        }
        Value.Section s = value.section("interval", "maxFailureInterval", "onEmpty");
        DnsResolution.Builder b = DnsResolution.builder();
        Value v;
        if ((v = s.get("interval")) != null) {
            Value at = v;
            at.run(() -> b.interval(at.duration()));
        }
        Value max = s.get("maxFailureInterval");
        if (max != null) {
            max.run(() -> b.maxFailureInterval(max.duration()));
        }
        if ((v = s.get("onEmpty")) != null) {
            b.onEmpty(v.choice("keep", "remove").equals("remove") ? DnsResolution.OnEmpty.REMOVE
                    : DnsResolution.OnEmpty.KEEP);
        }
        // The one check build() makes is of maxFailureInterval against the interval.
        return (max != null ? max : value).build(b::build);
    }

    /** The shorthand {@code upstream: http://host:port} or a list of them: every setting at its default. */
    static Upstream endpoints(Value value) {
        Upstream.Builder b = Upstream.builder();
        addEndpoints(value, b);
        return value.build(b::build);
    }

    private static void addEndpoints(Value value, Upstream.Builder b) {
        List<Value> endpoints = value.listOrOne();
        if (endpoints.isEmpty()) {
            throw value.invalid("at least one endpoint such as http://127.0.0.1:9000");
        }
        for (Value endpoint : endpoints) {
            Endpoint e = endpoint(endpoint);
            endpoint.run(() -> b.endpoint(e));
        }
    }

    /** {@code http://host:port}, or {@code {uri: http://host:port, weight: 3}}. */
    private static Endpoint endpoint(Value value) {
        if (value.isMap()) {
            Value.Section s = value.section("uri", "weight");
            Value uri = s.require("uri");
            Value weight = s.get("weight");
            URI parsed = uri(uri);
            int w = weight == null ? Endpoint.MIN_WEIGHT : weight.integer(Endpoint.MIN_WEIGHT, Endpoint.MAX_WEIGHT);
            return uri.build(() -> new Endpoint(parsed, w));
        }
        URI parsed = uri(value);
        return value.build(() -> new Endpoint(parsed, Endpoint.MIN_WEIGHT));
    }

    private static URI uri(Value value) {
        String text = value.string();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with the path
        }
        throw value.invalid(ENDPOINT_EXPECTED);
    }
}
