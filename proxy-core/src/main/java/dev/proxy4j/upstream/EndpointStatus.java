package dev.proxy4j.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * One endpoint of an upstream as it is at one moment: what an admin page shows
 * ({@link Upstream#endpointStatuses()}).
 *
 * @param endpoint the endpoint and its weight
 * @param health as the active health check (or an operator, {@link EndpointGroup#setHealth}) last said
 * @param ejected true while outlier detection keeps it out of rotation
 * @param ejectedFor how much longer the ejection lasts; empty when not ejected
 * @param ejections ejections in a row so far (the next lasts one base ejection time longer)
 * @param selectable true when a request would be sent to it now (panic routing included)
 * @param draining true once it is being drained
 * @param inFlight requests in flight to it
 * @param consecutive5xx attempts in a row that ended in a 5xx or a failure
 * @param consecutiveGatewayFailures attempts in a row that ended in 502, 503, 504 or a failure
 * @param lastHealthCheck the last active check's result, e.g. {@code passed: status 200}; empty before the first
 */
public record EndpointStatus(Endpoint endpoint, EndpointState.Health health, boolean ejected,
        Optional<Duration> ejectedFor, int ejections, boolean selectable, boolean draining, int inFlight,
        int consecutive5xx, int consecutiveGatewayFailures, Optional<String> lastHealthCheck) {

    static EndpointStatus of(EndpointState state, boolean selectable, long nowNanos) {
        Optional<Duration> ejectedFor = state.ejectedUntilNanos().isPresent()
                ? Optional.of(Duration.ofNanos(Math.max(0, state.ejectedUntilNanos().getAsLong() - nowNanos)))
                : Optional.empty();
        return new EndpointStatus(state.endpoint(), state.health(), ejectedFor.isPresent(), ejectedFor,
                state.ejections(), selectable, state.isDraining(), state.inFlight(), state.consecutive5xx(),
                state.consecutiveGatewayFailures(), state.lastHealthCheck());
    }
}
