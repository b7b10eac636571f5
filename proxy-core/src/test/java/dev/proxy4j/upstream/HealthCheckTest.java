package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    @Test
    void hasHaproxysCountsAndTheLaunchersTimesByDefault() {
        HealthCheck check = HealthCheck.of("/health");

        assertThat(check.path()).isEqualTo("/health");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(check.rise()).isEqualTo(2);
        assertThat(check.fall()).isEqualTo(3);
        assertThat(check.jitterPercent()).isEqualTo(10);
        assertThat(check.host()).isEmpty();
    }

    @Test
    void passesTwoHundredsAndRedirectsByDefaultAsHaproxy() {
        HealthCheck check = HealthCheck.of("/health");

        assertThat(check.expects(200)).isTrue();
        assertThat(check.expects(204)).isTrue();
        assertThat(check.expects(302)).isTrue();
        assertThat(check.expects(399)).isTrue();
        assertThat(check.expects(404)).isFalse();
        assertThat(check.expects(500)).isFalse();
        assertThat(check.expects(503)).isFalse();
        assertThat(check.expects(199)).isFalse();
    }

    @Test
    void passesOnlyTheStatusesGivenWhenSome() {
        HealthCheck check = HealthCheck.builder("/health").expectedStatuses("200", "204-206").build();

        assertThat(check.expects(200)).isTrue();
        assertThat(check.expects(205)).isTrue();
        assertThat(check.expects(201)).isFalse();
        assertThat(check.expects(302)).isFalse();
        assertThat(check.expectedStatuses()).hasToString("[200, 204-206]");
    }

    @Test
    void shortensEachWaitByUpToTheJitterNeverLengthensIt() {
        HealthCheck check = HealthCheck.builder("/h").interval(Duration.ofMillis(1000)).jitterPercent(20).build();
        RandomGenerator random = new SplittableRandom(42);
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 10_000; i++) {
            long delay = check.nextDelay(random).toMillis();
            shortest = Math.min(shortest, delay);
            longest = Math.max(longest, delay);
        }

        assertThat(shortest).isBetween(800L, 805L);
        assertThat(longest).isBetween(995L, 1000L);
    }

    @Test
    void checksANewEndpointWithinTheJittersShareOfTheInterval() {
        HealthCheck check = HealthCheck.builder("/h").interval(Duration.ofSeconds(10)).build();
        RandomGenerator random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(check.firstDelay(random)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
        HealthCheck noJitter = check.toBuilder().jitterPercent(0).build();
        assertThat(noJitter.firstDelay(random)).isEqualTo(Duration.ZERO);
        assertThat(noJitter.nextDelay(random)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> HealthCheck.of("health"))
                .hasMessage("healthCheck path: \"health\" (expected: an absolute path such as /health)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").interval(Duration.ZERO))
                .hasMessage("interval: PT0S (expected: positive)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").timeout(Duration.ofSeconds(-1)))
                .hasMessage("timeout: PT-1S (expected: positive)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").rise(0)).hasMessage("rise: 0 (expected: 1..100)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").fall(101)).hasMessage("fall: 101 (expected: 1..100)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").jitterPercent(60))
                .hasMessage("jitterPercent: 60 (expected: 0..50)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").expectedStatuses("2xx"))
                .hasMessage("expectedStatuses: \"2xx\" (expected: a status such as 200 or a range such as 200-399)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").expectedStatuses("300-200"))
                .hasMessage("expectedStatuses: 300-200 (expected: statuses 100..599, the first not above the last)");
        assertThatThrownBy(() -> HealthCheck.builder("/h").host("a b"))
                .hasMessage("host: \"a b\" (expected: a host name, optionally with :port)");
    }

    @Test
    void aTcpCheckHasTheSameTimingDefaultsAndNoRequest() {
        HealthCheck check = HealthCheck.tcp();

        assertThat(check.type()).isEqualTo(HealthCheck.Type.TCP);
        assertThat(check.path()).isEmpty();
        assertThat(check.describe()).isEqualTo("TCP connect");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(check.rise()).isEqualTo(2);
        assertThat(check.fall()).isEqualTo(3);
        assertThat(check.jitterPercent()).isEqualTo(10);
        assertThat(check).hasToString("HealthCheck[TCP connect, interval=PT1S, timeout=PT1S, rise=2, fall=3, jitter=10%]");
        assertThat(HealthCheck.of("/health").type()).isEqualTo(HealthCheck.Type.HTTP);
        assertThat(HealthCheck.of("/health").describe()).isEqualTo("GET /health");
    }

    @Test
    void anHttpCheckAsATcpOneKeepsItsTimingAndDropsItsRequest() {
        HealthCheck http = HealthCheck.builder("/health").interval(Duration.ofSeconds(2)).timeout(Duration.ofMillis(300))
                .rise(4).fall(5).jitterPercent(0).host("health.internal").expectedStatuses("204").build();

        HealthCheck tcp = http.asTcp();

        assertThat(tcp).isEqualTo(HealthCheck.tcpBuilder().interval(Duration.ofSeconds(2)).timeout(Duration.ofMillis(300))
                .rise(4).fall(5).jitterPercent(0).build());
        assertThat(tcp.host()).isEmpty();
        assertThat(tcp).isNotEqualTo(http);
        assertThat(tcp.asTcp()).isSameAs(tcp);
        assertThat(tcp.toBuilder().path("/ready").build().type()).isEqualTo(HealthCheck.Type.HTTP);
    }

    @Test
    void refusesAHostOrStatusesForATcpCheck() {
        assertThatThrownBy(() -> HealthCheck.tcpBuilder().host("health.internal").build())
                .hasMessage("host: \"health.internal\" (expected: none for a TCP check, which sends no request)");
        assertThatThrownBy(() -> HealthCheck.tcpBuilder().expectedStatuses("200").build())
                .hasMessage("expectedStatuses: [200] (expected: none for a TCP check, which gets no status)");
    }
}
