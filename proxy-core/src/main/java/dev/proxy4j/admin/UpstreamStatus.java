package dev.proxy4j.admin;

import dev.proxy4j.upstream.EndpointStatus;
import java.util.List;
import java.util.Objects;

/**
 * One upstream now: its name, its balancer, its endpoints (with their health and ejection), and its connection pool added up over
 * the proxy's event loops ({@link ConnectionStats#NONE} before its first request).
 */
public record UpstreamStatus(String name, String loadBalancer, List<EndpointStatus> endpoints,
        ConnectionStats connections) {

    public UpstreamStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(connections, "connections");
    }
}
