package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Slow start with a ticker the test moves: no sleeps. */
class SlowStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final FakeTicker ticker = new FakeTicker();
    private final Random seeded = new Random(7);
    private final Endpoint old1 = Endpoint.of("http://old-1:1");
    private final Endpoint old2 = Endpoint.of("http://old-2:1");
    private final Endpoint fresh = Endpoint.of("http://fresh:1");

    @Test
    void rampsLinearlyFromTheMinimumShareToTheWholeWeight() {
        SlowStart linear = SlowStart.of(WINDOW);
        assertThat(linear.factor(0)).isEqualTo(0.10);
        assertThat(linear.factor(Duration.ofSeconds(3).toNanos())).isEqualTo(0.10);
        assertThat(linear.factor(Duration.ofSeconds(30).toNanos())).isCloseTo(0.5, offset(1e-9));
        assertThat(linear.factor(Duration.ofSeconds(60).toNanos())).isEqualTo(1.0);
        assertThat(linear.factor(Duration.ofHours(1).toNanos())).isEqualTo(1.0);
        // Aggression 2: (t / window) ^ (1/2), faster at first.
        assertThat(linear.withAggression(2).factor(Duration.ofSeconds(15).toNanos())).isCloseTo(0.5, offset(1e-9));
    }

    @Test
    void refusesAWindowAggressionOrMinimumOutOfRange() {
        assertThatThrownBy(() -> SlowStart.of(Duration.ZERO))
                .hasMessage("window: PT0S (expected: positive)");
        assertThatThrownBy(() -> SlowStart.of(WINDOW).withAggression(0))
                .hasMessage("aggression: 0.0 (expected: > 0)");
        assertThatThrownBy(() -> SlowStart.of(WINDOW).withMinWeightPercent(0))
                .hasMessage("minWeightPercent: 0.0 (expected: > 0 and <= 100)");
    }

    @Test
    void randomGivesANewEndpointItsShareAsItsWeightRampsUp() {
        checkRamp(slowStart -> new RandomLoadBalancer(slowStart, () -> seeded));
    }

    @Test
    void leastRequestsGivesANewEndpointItsShareAsItsWeightRampsUp() {
        checkRamp(slowStart -> new LeastRequestsLoadBalancer(slowStart, () -> seeded));
    }

    /** Two warm members and one added: its share of 30,000 picks at 0%, 50% and 100% of the window. */
    private void checkRamp(Function<SlowStart, LoadBalancer> balancer) {
        EndpointGroup group = EndpointGroup.of(List.of(old1, old2), ticker);
        EndpointSelector selector = balancer.apply(SlowStart.of(WINDOW)).newSelector(group);
        group.add(fresh);

        // Weight 0.1 beside 1 and 1: 0.1 / 2.1 = 4.8% of the picks; 50% into the window 0.5 / 2.5 = 20%.
        assertThat(share(selector)).isCloseTo(0.1 / 2.1, offset(0.01));
        ticker.advance(WINDOW.dividedBy(2));
        assertThat(share(selector)).isCloseTo(0.5 / 2.5, offset(0.01));
        ticker.advance(WINDOW.dividedBy(2));
        assertThat(share(selector)).isCloseTo(1 / 3.0, offset(0.01));
    }

    @Test
    void rampsAnEndpointAgainWhenItRecoversButNotTheGroupsFirstMembers() {
        EndpointGroup group = EndpointGroup.of(List.of(old1, old2, fresh), ticker);
        EndpointSelector selector = new RandomLoadBalancer(SlowStart.of(WINDOW), () -> seeded).newSelector(group);
        assertThat(group.state(fresh).orElseThrow().readySinceNanos()).isEmpty();
        assertThat(share(selector)).isCloseTo(1 / 3.0, offset(0.01));

        group.setHealth(fresh, EndpointState.Health.UNHEALTHY);
        ticker.advance(Duration.ofMinutes(5));
        group.setHealth(fresh, EndpointState.Health.HEALTHY);

        assertThat(group.state(fresh).orElseThrow().readySinceNanos()).hasValue(ticker.nanos());
        assertThat(share(selector)).isCloseTo(0.1 / 2.1, offset(0.01));
        ticker.advance(WINDOW);
        assertThat(share(selector)).isCloseTo(1 / 3.0, offset(0.01));
    }

    private double share(EndpointSelector selector) {
        int picks = 30_000;
        return Picks.hosts(selector, picks).stream().filter("fresh"::equals).count() / (double) picks;
    }
}
