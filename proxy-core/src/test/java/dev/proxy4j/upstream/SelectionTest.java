package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private static final long MS = 1_000_000;

    private final FakeTicker ticker = new FakeTicker();
    private final Upstream upstream = Upstream.builder().endpoint("http://a:1").ticker(ticker).build();
    private final EndpointState state = upstream.group().snapshot().members().get(0);

    @Test
    void countsASelectionInFlightUntilItCompletes() {
        Selection first = select();
        Selection second = select();

        assertThat(state.inFlight()).isEqualTo(2);
        assertThat(upstream.retryBudget().activeRequests()).isEqualTo(2);
        first.complete(Outcome.response(200, MS));
        second.complete(Outcome.failure(Kind.CONNECT_REFUSED, MS));

        assertThat(state.inFlight()).isZero();
        assertThat(state.completed()).isEqualTo(2);
        assertThat(upstream.retryBudget().activeRequests()).isZero();
    }

    @Test
    void failsLoudlyOnASecondCompleteAndCountsOnlyTheFirst() {
        Selection selection = select();
        selection.complete(Outcome.response(503, MS));

        assertThatThrownBy(() -> selection.complete(Outcome.response(200, MS)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("selection of http://a:1 was already completed with Outcome[status=503, failure=null,"
                        + " latencyNanos=1000000] (expected: one complete per selection, got Outcome[status=200,"
                        + " failure=null, latencyNanos=1000000])");
        assertThat(state.inFlight()).isZero();
        assertThat(state.completed()).isEqualTo(1);
        assertThat(state.consecutive5xx()).isEqualTo(1);
    }

    @Test
    void takesTheFirstLatencyAsItIsAndThenWeighsEachByTheTimeSinceTheLast() {
        complete(Outcome.response(200, 100 * MS));
        assertThat(state.latencyNanos()).isEqualTo(100 * MS);

        // One decay time later a sample moves the average 1 - 1/e of the way to it.
        ticker.advance(EndpointState.LATENCY_DECAY);
        complete(Outcome.response(200, 200 * MS));
        assertThat(state.latencyNanos()).isEqualTo((long) (100 * MS + 100 * MS * (1 - Math.exp(-1))));

        // A sample at the same instant counts for no time at all.
        complete(Outcome.response(200, 10_000 * MS));
        assertThat(state.latencyNanos()).isEqualTo((long) (100 * MS + 100 * MS * (1 - Math.exp(-1))));

        // After a long quiet spell the newest sample is nearly all that counts.
        ticker.advance(Duration.ofMinutes(10));
        complete(Outcome.response(200, 7 * MS));
        assertThat(state.latencyNanos()).isEqualTo(7 * MS);
    }

    @Test
    void leavesLatencyAloneForFailuresWithoutAResponse() {
        complete(Outcome.response(200, 50 * MS));
        ticker.advance(Duration.ofSeconds(30));

        complete(Outcome.failure(Kind.CONNECT_REFUSED, MS));

        assertThat(state.latencyNanos()).isEqualTo(50 * MS);
    }

    @Test
    void countsConsecutive5xxAndGatewayFailuresApartAndResetsBothOnSuccess() {
        complete(Outcome.response(502, MS));
        complete(Outcome.failure(Kind.RESET_BEFORE_HEADERS, MS));
        assertThat(state.consecutive5xx()).isEqualTo(2);
        assertThat(state.consecutiveGatewayFailures()).isEqualTo(2);

        complete(Outcome.response(500, MS));
        assertThat(state.consecutive5xx()).isEqualTo(3);
        assertThat(state.consecutiveGatewayFailures()).isZero();

        complete(Outcome.response(504, MS));
        complete(Outcome.response(404, MS));
        assertThat(state.consecutive5xx()).isZero();
        assertThat(state.consecutiveGatewayFailures()).isZero();
    }

    @Test
    void countsAFailureAfterTheHeadersAgainstTheEndpoint() {
        complete(new Outcome(200, Kind.RESET_AFTER_HEADERS, MS));

        assertThat(state.consecutive5xx()).isEqualTo(1);
        assertThat(state.consecutiveGatewayFailures()).isEqualTo(1);
    }

    @Test
    void countsNeitherWayAnAbandonedAttemptNorTheProxysOwnLimits() {
        complete(Outcome.response(503, MS));

        complete(Outcome.abandoned(MS));
        complete(Outcome.failure(Kind.REQUEST_BODY_TOO_LARGE, MS));
        complete(new Outcome(200, Kind.RESPONSE_BODY_TOO_LARGE, MS));

        assertThat(state.consecutive5xx()).isEqualTo(1);
        assertThat(state.consecutiveGatewayFailures()).isEqualTo(1);
        assertThat(state.completed()).isEqualTo(4);
    }

    @Test
    void measuresTheTimeSinceTheSelectionWithTheUpstreamsTicker() {
        Selection selection = select();

        ticker.advance(Duration.ofMillis(42));

        assertThat(selection.elapsedNanos()).isEqualTo(42 * MS);
        assertThat(selection.isRetry()).isFalse();
        assertThat(selection.isComplete()).isFalse();
    }

    @Test
    void refusesAnOutcomeWithAnImpossibleStatusOrANegativeLatency() {
        assertThatThrownBy(() -> Outcome.response(99, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: 99 (expected: 0 or 100..599)");
        assertThatThrownBy(() -> Outcome.response(600, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: 600 (expected: 0 or 100..599)");
        assertThatThrownBy(() -> Outcome.abandoned(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latencyNanos: -1 (expected: >= 0)");
    }

    private Selection select() {
        return upstream.select(Picks.CTX, Picks.REQUEST, Set.of()).orElseThrow();
    }

    private void complete(Outcome outcome) {
        select().complete(outcome);
    }
}
