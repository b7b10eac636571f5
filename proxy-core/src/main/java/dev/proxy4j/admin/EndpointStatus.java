package dev.proxy4j.admin;

import java.util.Objects;

/**
 * One endpoint of an upstream now: its URI, weight, the selections in flight on it, its health
 * ({@code healthy}, {@code unhealthy}, ...) and whether it is draining.
 */
public record EndpointStatus(String uri, int weight, int inFlight, String health, boolean draining) {

    public EndpointStatus {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(health, "health");
    }
}
