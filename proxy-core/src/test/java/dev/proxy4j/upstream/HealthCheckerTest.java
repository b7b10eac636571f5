package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.EndpointState.Health;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private final Upstream upstream = Upstream.builder().name("api").endpoint("http://a:1").endpoint("http://b:1")
            .healthCheck(HealthCheck.builder("/health").rise(2).fall(3).build()).build();
    private final HealthChecker checker = new HealthChecker(upstream);
    private final EndpointState a = upstream.group().snapshot().members().get(0);
    private final EndpointState b = upstream.group().snapshot().members().get(1);

    @Test
    void takesAnEndpointOutOfSelectionAfterFallFailedChecksAndBackAfterRisePassedOnes() {
        checker.report(a, 200, null);
        checker.report(a, 503, null);
        checker.report(a, 0, "connection refused");
        assertThat(upstream.group().snapshot().selectable()).containsExactly(a, b);

        checker.report(a, 0, "timed out");
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(upstream.group().snapshot().selectable()).containsExactly(b);

        checker.report(a, 200, null);
        assertThat(upstream.group().snapshot().selectable()).containsExactly(b);
        checker.report(a, 204, null);
        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        assertThat(upstream.group().snapshot().selectable()).containsExactly(a, b);
    }

    @Test
    void saysWhetherACheckPassedAndKeepsItsResultForTheReadApi() {
        assertThat(a.lastHealthCheck()).isEmpty();

        assertThat(checker.report(a, 302, null)).isTrue();
        assertThat(a.lastHealthCheck()).contains("passed: status 302");
        assertThat(checker.report(a, 404, null)).isFalse();
        assertThat(a.lastHealthCheck()).contains("failed: status 404");
        assertThat(checker.report(a, 0, "connection refused")).isFalse();
        assertThat(upstream.endpointStatuses().get(0).lastHealthCheck()).contains("failed: connection refused");
    }

    @Test
    void routesToEveryEndpointWhenAllFailTheirChecks() {
        checker.report(a, 500, null);
        checker.report(b, 500, null);

        assertThat(upstream.group().snapshot().isPanic()).isTrue();
        assertThat(upstream.group().snapshot().selectable()).containsExactly(a, b);
        assertThat(upstream.endpointStatuses()).extracting(EndpointStatus::selectable).containsExactly(true, true);
    }

    @Test
    void selectsNothingWhenAllFailTheirChecksWithoutPanicRouting() {
        Upstream strict = upstream.toBuilder().panicRouting(false).build();
        HealthChecker strictChecker = new HealthChecker(strict);
        EndpointState first = strict.group().snapshot().members().get(0);
        EndpointState second = strict.group().snapshot().members().get(1);
        strictChecker.report(first, 500, null);
        assertThat(strict.group().snapshot().selectable()).containsExactly(second);

        strictChecker.report(second, 500, null);
        assertThat(strict.group().snapshot().isPanic()).isTrue();
        assertThat(strict.group().snapshot().selectable()).isEmpty();
        assertThat(strict.select(Picks.CTX, Picks.REQUEST, java.util.Set.of())).isEmpty();
        assertThat(strict.endpointStatuses()).extracting(EndpointStatus::selectable).containsExactly(false, false);
    }

    @Test
    void ignoresChecksOfAnEndpointThatLeftTheGroup() {
        upstream.group().remove(a.endpoint());

        checker.report(a, 500, null);

        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        assertThat(upstream.group().snapshot().selectable()).containsExactly(b);
    }

    @Test
    void anEndpointMarkedUnhealthyBeforeItsFirstCheckComesBackAfterRisePassedChecks() {
        upstream.group().setHealth(a.endpoint(), Health.UNHEALTHY);

        checker.report(a, 200, null);
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        checker.report(a, 200, null);
        assertThat(a.health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void keepsEachEndpointsCountApart() {
        checker.report(a, 200, null);
        checker.report(b, 200, null);
        checker.report(a, 500, null);
        checker.report(b, 500, null);
        checker.report(a, 500, null);

        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        checker.report(a, 500, null);
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(b.health()).isEqualTo(Health.HEALTHY);
    }
}
