package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {

    private final FakeTicker ticker = new FakeTicker();

    private Upstream upstream(int endpoints, OutlierDetection detection) {
        Upstream.Builder b = Upstream.builder().name("api").ticker(ticker).outlierDetection(detection);
        for (int i = 0; i < endpoints; i++) {
            b.endpoint("http://e" + i + ":1");
        }
        return b.build();
    }

    private static void complete(Upstream upstream, int member, Outcome outcome, int times) {
        EndpointState state = upstream.group().snapshot().members().get(member);
        for (int i = 0; i < times; i++) {
            Selection s = upstream.select(Picks.CTX, Picks.REQUEST,
                    Set.copyOf(upstream.endpoints().stream().filter(e -> !e.equals(state.endpoint())).toList()))
                    .orElseThrow();
            assertThat(s.state()).isSameAs(state);
            s.complete(outcome);
        }
    }

    private static List<Boolean> ejected(Upstream upstream) {
        return upstream.endpointStatuses().stream().map(EndpointStatus::ejected).toList();
    }

    @Test
    void hasEnvoysDefaults() {
        OutlierDetection d = OutlierDetection.defaults();

        assertThat(d).isEqualTo(new OutlierDetection(5, 5, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 10));
    }

    @Test
    void ejectsAnEndpointAfterConsecutive5xxAndLeavesItOutOfSelection() {
        Upstream up = upstream(3, OutlierDetection.defaults().withMaxEjectionPercent(50));
        complete(up, 0, Outcome.response(500, 0), 4);
        assertThat(ejected(up)).containsExactly(false, false, false);

        complete(up, 0, Outcome.response(500, 0), 1);

        assertThat(ejected(up)).containsExactly(true, false, false);
        EndpointStatus status = up.endpointStatuses().get(0);
        assertThat(status.ejectedFor()).contains(Duration.ofSeconds(30));
        assertThat(status.ejections()).isEqualTo(1);
        assertThat(status.selectable()).isFalse();
        assertThat(status.consecutive5xx()).isZero();
        assertThat(up.group().snapshot().selectable()).extracting(s -> s.endpoint().host()).containsExactly("e1", "e2");
    }

    @Test
    void aSuccessBetweenFailuresStartsTheCountAgain() {
        Upstream up = upstream(2, OutlierDetection.defaults());
        complete(up, 0, Outcome.response(503, 0), 4);
        complete(up, 0, Outcome.response(200, 0), 1);
        complete(up, 0, Outcome.response(503, 0), 4);

        assertThat(ejected(up)).containsExactly(false, false);
    }

    /** A TCP connection has no status: its opening ends the run of refused connects, as a response would. */
    @Test
    void aConnectionThatOpensBetweenRefusedConnectsStartsTheCountAgain() {
        Upstream up = upstream(2, OutlierDetection.defaults().withConsecutiveGatewayFailures(3).withConsecutive5xx(0));
        complete(up, 0, Outcome.failure(Kind.CONNECT_REFUSED, 0), 2);
        EndpointState state = up.group().snapshot().members().get(0);
        Selection opened = up.select(Picks.CTX, Picks.REQUEST, Set.of(up.endpoints().get(1))).orElseThrow();
        assertThat(opened.state()).isSameAs(state);
        opened.connected();
        assertThat(up.endpointStatuses().get(0).consecutiveGatewayFailures()).isZero();
        assertThat(state.inFlight()).as("still in flight until the connection ends").isEqualTo(1);
        complete(up, 0, Outcome.failure(Kind.CONNECT_REFUSED, 0), 2);
        assertThat(ejected(up)).containsExactly(false, false);

        opened.complete(Outcome.abandoned(0));
        opened.connected();
        assertThat(state.inFlight()).isZero();
        complete(up, 0, Outcome.failure(Kind.CONNECT_REFUSED, 0), 1);
        assertThat(ejected(up)).as("three refused connects in a row, with nothing in between").containsExactly(true, false);
    }

    @Test
    void ejectsOnGatewayFailuresAloneWhenThatThresholdIsLower() {
        Upstream up = upstream(2, OutlierDetection.defaults().withConsecutiveGatewayFailures(2).withConsecutive5xx(0));
        complete(up, 0, Outcome.response(500, 0), 10);
        assertThat(ejected(up)).containsExactly(false, false);

        complete(up, 0, Outcome.failure(Kind.CONNECT_REFUSED, 0), 1);
        complete(up, 0, Outcome.failure(Kind.RESET_BEFORE_HEADERS, 0), 1);

        assertThat(ejected(up)).containsExactly(true, false);
    }

    @Test
    void endsTheEjectionAtTheSweepAfterItsTime() {
        Upstream up = upstream(2, OutlierDetection.defaults());
        OutlierDetector detector = up.outlierDetector().orElseThrow();
        complete(up, 0, Outcome.failure(Kind.CONNECT_TIMEOUT, 0), 5);

        ticker.advance(Duration.ofSeconds(29));
        detector.sweep();
        assertThat(ejected(up)).containsExactly(true, false);
        assertThat(up.endpointStatuses().get(0).ejectedFor()).contains(Duration.ofSeconds(1));

        ticker.advance(Duration.ofSeconds(1));
        detector.sweep();
        assertThat(ejected(up)).containsExactly(false, false);
        assertThat(up.group().snapshot().selectable()).hasSize(2);
    }

    @Test
    void ejectsLongerEachTimeInARowUpToTheMaximum() {
        Upstream up = upstream(2, OutlierDetection.defaults().withMaxEjectionTime(Duration.ofSeconds(70)));
        OutlierDetector detector = up.outlierDetector().orElseThrow();
        Duration[] lengths = new Duration[4];
        for (int i = 0; i < 4; i++) {
            complete(up, 0, Outcome.response(502, 0), 5);
            lengths[i] = up.endpointStatuses().get(0).ejectedFor().orElseThrow();
            ticker.advance(lengths[i]);
            detector.sweep();
            assertThat(ejected(up)).containsExactly(false, false);
        }

        assertThat(lengths).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(70),
                Duration.ofSeconds(70));
    }

    @Test
    void theCountOfEjectionsFadesByOneForEachIntervalInRotation() {
        Upstream up = upstream(2, OutlierDetection.defaults());
        OutlierDetector detector = up.outlierDetector().orElseThrow();
        for (int i = 0; i < 2; i++) {
            complete(up, 0, Outcome.response(500, 0), 5);
            ticker.advance(Duration.ofSeconds(60));
            detector.sweep();
        }
        assertThat(up.endpointStatuses().get(0).ejections()).isEqualTo(2);

        detector.sweep();
        assertThat(up.endpointStatuses().get(0).ejections()).isEqualTo(1);
        detector.sweep();
        detector.sweep();
        assertThat(up.endpointStatuses().get(0).ejections()).isZero();
        complete(up, 0, Outcome.response(500, 0), 5);
        assertThat(up.endpointStatuses().get(0).ejectedFor()).contains(Duration.ofSeconds(30));
    }

    @Test
    void ejectsNoMoreThanTheMaxPercentButAlwaysOne() {
        Upstream up = upstream(10, OutlierDetection.defaults().withMaxEjectionPercent(20));
        for (int i = 0; i < 4; i++) {
            complete(up, i, Outcome.response(500, 0), 5);
        }

        assertThat(ejected(up)).containsExactly(true, true, false, false, false, false, false, false, false, false);

        Upstream small = upstream(3, OutlierDetection.defaults());
        complete(small, 0, Outcome.response(500, 0), 5);
        complete(small, 1, Outcome.response(500, 0), 5);
        assertThat(ejected(small)).containsExactly(true, false, false);
    }

    @Test
    void routesToEveryEndpointInPanicWhenAllAreEjectedOrUnhealthy() {
        Upstream up = upstream(2, OutlierDetection.defaults().withMaxEjectionPercent(100));
        complete(up, 0, Outcome.response(500, 0), 5);
        up.group().setHealth(up.endpoints().get(1), EndpointState.Health.UNHEALTHY);

        assertThat(up.group().snapshot().isPanic()).isTrue();
        assertThat(up.group().snapshot().selectable()).hasSize(2);
    }

    @Test
    void answersNothingSelectableWhenAllAreOutWithoutPanicRouting() {
        Upstream up = Upstream.builder().endpoint("http://e0:1").ticker(ticker).panicRouting(false)
                .outlierDetection(OutlierDetection.defaults()).build();
        complete(up, 0, Outcome.response(500, 0), 5);

        assertThat(up.select(Picks.CTX, Picks.REQUEST, Set.of())).isEmpty();
        ticker.advance(Duration.ofSeconds(30));
        up.outlierDetector().orElseThrow().sweep();
        assertThat(up.select(Picks.CTX, Picks.REQUEST, Set.of())).isPresent();
    }

    @Test
    void aDrainingEndpointIsNotEjectedNorCounted() {
        Upstream up = upstream(2, OutlierDetection.defaults().withMaxEjectionPercent(50));
        EndpointState first = up.group().snapshot().members().get(0);
        Selection inFlight = up.select(Picks.CTX, Picks.REQUEST, Set.of(up.endpoints().get(1))).orElseThrow();
        complete(up, 0, Outcome.response(500, 0), 4);
        up.group().drain(first.endpoint());

        inFlight.complete(Outcome.response(500, 0));

        assertThat(first.isEjected()).isFalse();
    }

    @Test
    void isOffUnlessConfigured() {
        Upstream up = Upstream.builder().endpoint("http://e0:1").endpoint("http://e1:1").build();

        assertThat(up.outlierDetection()).isEmpty();
        assertThat(up.outlierDetector()).isEmpty();
        complete(up, 0, Outcome.response(500, 0), 50);
        assertThat(ejected(up)).containsExactly(false, false);
    }

    @Test
    void refusesBadSettingsNamingThem() {
        OutlierDetection d = OutlierDetection.defaults();
        assertThatThrownBy(() -> d.withConsecutive5xx(-1)).hasMessage("consecutive5xx: -1 (expected: 0..1000, 0 for off)");
        assertThatThrownBy(() -> d.withConsecutiveGatewayFailures(1001))
                .hasMessage("consecutiveGatewayFailures: 1001 (expected: 0..1000, 0 for off)");
        assertThatThrownBy(() -> d.withInterval(Duration.ZERO)).hasMessage("interval: PT0S (expected: positive)");
        assertThatThrownBy(() -> d.withBaseEjectionTime(Duration.ZERO))
                .hasMessage("baseEjectionTime: PT0S (expected: positive)");
        assertThatThrownBy(() -> d.withMaxEjectionPercent(101)).hasMessage("maxEjectionPercent: 101 (expected: 0..100)");
    }
}
