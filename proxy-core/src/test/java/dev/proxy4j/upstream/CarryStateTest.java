package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.EndpointState.Health;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Upstream#carryStateFrom}: an upstream that replaces one of the same name (a reconfigure,
 * a reload) starts from what the old one knew of the same servers. Time is a {@link FakeTicker}.
 */
class CarryStateTest {

    private static final HealthCheck CHECK = HealthCheck.builder("/health").rise(2).fall(3).build();

    private final FakeTicker ticker = new FakeTicker();

    private Upstream.Builder api(String... hosts) {
        Upstream.Builder b = Upstream.builder().name("api").ticker(ticker).healthCheck(CHECK)
                .outlierDetection(OutlierDetection.defaults().withMaxEjectionPercent(100));
        for (String host : hosts) {
            b.endpoint("http://" + host + ":1");
        }
        return b;
    }

    private static EndpointState member(Upstream upstream, String host) {
        return upstream.group().state(Endpoint.of("http://" + host + ":1")).orElseThrow();
    }

    private static void fail5xx(Upstream upstream, String host, int times) {
        EndpointState state = member(upstream, host);
        for (int i = 0; i < times; i++) {
            Selection s = upstream.select(Picks.CTX, Picks.REQUEST,
                    Set.copyOf(upstream.endpoints().stream().filter(e -> !e.equals(state.endpoint())).toList()))
                    .orElseThrow();
            s.complete(Outcome.response(500, 0));
        }
    }

    @Test
    void anEndpointDownStaysDownAndNeedsItsRiseOfPassedChecksToComeBack() {
        Upstream old = api("a", "b").build();
        HealthChecker oldChecks = new HealthChecker(old);
        for (int i = 0; i < 3; i++) {
            oldChecks.report(member(old, "a"), 503, null);
        }
        oldChecks.report(member(old, "b"), 200, null);
        assertThat(member(old, "a").health()).isEqualTo(Health.UNHEALTHY);

        Upstream next = api("a", "b", "c").build();
        assertThat(next.carryStateFrom(old)).isEqualTo(2);

        assertThat(member(next, "a").health()).isEqualTo(Health.UNHEALTHY);
        assertThat(next.group().snapshot().selectable()).extracting(s -> s.endpoint().host()).containsExactly("b", "c");
        assertThat(next.endpointStatuses().get(0).lastHealthCheck()).contains("failed: status 503");
        HealthChecker checks = new HealthChecker(next);
        checks.report(member(next, "a"), 200, null);
        assertThat(member(next, "a").health()).as("one pass of rise 2").isEqualTo(Health.UNHEALTHY);
        checks.report(member(next, "a"), 200, null);
        assertThat(member(next, "a").health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void aProvenEndpointStaysProvenWhileANewOneStartsUnproven() {
        Upstream old = api("b").build();
        new HealthChecker(old).report(member(old, "b"), 200, null);

        Upstream next = api("b", "c").build();
        next.carryStateFrom(old);
        HealthChecker checks = new HealthChecker(next);
        checks.report(member(next, "b"), 503, null);
        checks.report(member(next, "c"), 503, null);

        assertThat(member(next, "b").health()).as("proven: fall 3 failures to go out").isEqualTo(Health.HEALTHY);
        assertThat(member(next, "c").health()).as("unproven: one failure takes it out").isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void withoutCarryingOverTheSameEndpointWouldStartAfreshAndUnproven() {
        Upstream old = api("a").build();
        HealthChecker oldChecks = new HealthChecker(old);
        for (int i = 0; i < 3; i++) {
            oldChecks.report(member(old, "a"), 503, null);
        }

        Upstream next = api("a").build();

        assertThat(member(next, "a").health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void anEjectionCarriesOverForTheTimeItHadLeftWithItsCount() {
        Upstream old = api("a", "b").build();
        fail5xx(old, "a", 5);
        assertThat(member(old, "a").isEjected()).isTrue();
        ticker.advance(Duration.ofSeconds(10));

        Upstream next = api("a", "b").build();
        next.carryStateFrom(old);

        EndpointStatus a = next.endpointStatuses().get(0);
        assertThat(a.ejected()).isTrue();
        assertThat(a.ejectedFor()).contains(Duration.ofSeconds(20));
        assertThat(a.ejections()).isEqualTo(1);
        assertThat(next.group().snapshot().selectable()).extracting(s -> s.endpoint().host()).containsExactly("b");

        ticker.advance(Duration.ofSeconds(20));
        next.outlierDetector().orElseThrow().sweep();
        assertThat(next.endpointStatuses().get(0).ejected()).as("ended by the new upstream's detector").isFalse();
    }

    @Test
    void anEjectionIsNotCarriedToAnUpstreamWithoutOutlierDetectionThatCouldEndIt() {
        Upstream old = api("a", "b").build();
        fail5xx(old, "a", 5);

        Upstream next = Upstream.builder().name("api").ticker(ticker).endpoint("http://a:1").endpoint("http://b:1").build();
        next.carryStateFrom(old);

        assertThat(next.endpointStatuses().get(0).ejected()).isFalse();
    }

    @Test
    void aSlowStartGoesOnFromWhereItHadGot() {
        Upstream old = api("a").loadBalancer(LoadBalancer.random(SlowStart.of(Duration.ofSeconds(30)))).build();
        old.group().add(Endpoint.of("http://c:1"));
        ticker.advance(Duration.ofSeconds(10));
        long startedAt = member(old, "c").readySinceNanos().orElseThrow();

        Upstream next = api("a", "c").loadBalancer(LoadBalancer.random(SlowStart.of(Duration.ofSeconds(30)))).build();
        assertThat(member(next, "c").readySinceNanos()).as("a member the group is made with starts warm").isEmpty();
        next.carryStateFrom(old);

        assertThat(member(next, "c").readySinceNanos()).hasValue(startedAt);
        assertThat(member(next, "a").readySinceNanos()).as("warm stays warm").isEmpty();
    }

    @Test
    void aDrainingEndpointPassesNothingOn() {
        Upstream old = api("a", "b").build();
        HealthChecker oldChecks = new HealthChecker(old);
        for (int i = 0; i < 3; i++) {
            oldChecks.report(member(old, "a"), 503, null);
        }
        old.group().drain(Endpoint.of("http://a:1"));

        Upstream next = api("a", "b").build();

        assertThat(next.carryStateFrom(old)).isEqualTo(1);
        assertThat(member(next, "a").health()).isEqualTo(Health.HEALTHY);
    }
}
