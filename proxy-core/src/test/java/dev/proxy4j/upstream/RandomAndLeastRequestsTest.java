package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random, least-requests and power-of-two-choices, drawing from seeded generators; bounds stated with each test. */
class RandomAndLeastRequestsTest {

    private final Endpoint a = Endpoint.of("http://a:1", 1);
    private final Endpoint b = Endpoint.of("http://b:1", 2);
    private final Endpoint c = Endpoint.of("http://c:1", 3);
    private final Random seeded = new Random(12);

    @Test
    void randomDrawsEachEndpointInProportionToItsWeight() {
        EndpointSelector selector = new RandomLoadBalancer(null, () -> seeded).newSelector(EndpointGroup.of(List.of(a, b, c)));
        Map<String, Integer> counts = Picks.counts(selector, 60_000);
        // Expected 10,000, 20,000 and 30,000: each within 3% (over 7 standard deviations).
        assertThat(counts.get("a")).isBetween(9_700, 10_300);
        assertThat(counts.get("b")).isBetween(19_400, 20_600);
        assertThat(counts.get("c")).isBetween(29_100, 30_900);
    }

    @Test
    void randomSharesAnExcludedEndpointsTurnsByWeight() {
        EndpointSelector selector = new RandomLoadBalancer(null, () -> seeded).newSelector(EndpointGroup.of(List.of(a, b, c)));
        List<String> hosts = Picks.hosts(selector, 40_000, Set.of(b));
        long aCount = hosts.stream().filter("a"::equals).count();
        assertThat(hosts).doesNotContain("b");
        // 1:3 of the 40,000: 10,000 for a, within 3%.
        assertThat(aCount).isBetween(9_700L, 10_300L);
    }

    @Test
    void leastRequestsWithEqualWeightsNeverPicksTheBusierOfTwo() {
        Endpoint x = Endpoint.of("http://x:1");
        Endpoint y = Endpoint.of("http://y:1");
        EndpointGroup group = EndpointGroup.of(List.of(x, y));
        EndpointSelector selector = new LeastRequestsLoadBalancer(null, () -> seeded).newSelector(group);
        group.state(x).orElseThrow().begin();
        // Each pick draws two at random, with replacement: y unless both draws were x (a quarter).
        Map<String, Integer> counts = Picks.counts(selector, 40_000);
        assertThat(counts.get("y")).isBetween(29_500, 30_500);
    }

    @Test
    void leastRequestsWithUnequalWeightsDividesEachWeightByItsRequestsInFlightPlusOne() {
        EndpointGroup group = EndpointGroup.of(List.of(a, c));
        EndpointSelector selector = new LeastRequestsLoadBalancer(null, () -> seeded).newSelector(group);
        EndpointState busy = group.state(c).orElseThrow();
        for (int i = 0; i < 5; i++) {
            busy.begin();
        }
        // a: 1 / 1; c: 3 / 6. So a gets two thirds of 30,000 picks, within 3%.
        Map<String, Integer> counts = Picks.counts(selector, 30_000);
        assertThat(counts.get("a")).isBetween(19_400, 20_600);
        for (int i = 0; i < 5; i++) {
            busy.end(Outcome.response(200, 0));
        }
        // Idle again: 1:3.
        assertThat(Picks.counts(selector, 40_000).get("a")).isBetween(9_700, 10_300);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheBusiestOfThreeAndIgnoresWeights() {
        EndpointGroup group = EndpointGroup.of(List.of(a, b, c));
        EndpointSelector selector = new PowerOfTwoChoicesLoadBalancer(() -> seeded).newSelector(group);
        group.state(c).orElseThrow().begin();
        group.state(c).orElseThrow().begin();
        group.state(b).orElseThrow().begin();
        // Two different members each pick: c always loses; a (idle) wins every pair it is in: 2 of 3 pairs.
        Map<String, Integer> counts = Picks.counts(selector, 30_000);
        assertThat(counts).doesNotContainKey("c");
        assertThat(counts.get("a")).isBetween(19_400, 20_600);
    }

    @Test
    void powerOfTwoChoicesPicksTheOnlyEndpointNotExcluded() {
        EndpointSelector selector = new PowerOfTwoChoicesLoadBalancer(() -> seeded).newSelector(EndpointGroup.of(List.of(a, b, c)));
        assertThat(Picks.hosts(selector, 50, Set.of(a, c))).containsOnly("b");
        assertThat(Picks.pick(selector, Set.of(a, b, c))).isNull();
    }

    @Test
    void randomAndLeastRequestsSpreadOverEveryEndpointFromTheirThreadsRandomNumbers() {
        List<Endpoint> endpoints = new ArrayList<>(List.of(a, b, c));
        for (LoadBalancer balancer : List.of(LoadBalancer.random(), LoadBalancer.leastRequests(),
                LoadBalancer.powerOfTwoChoices())) {
            assertThat(Picks.counts(balancer.newSelector(EndpointGroup.of(endpoints)), 600)).containsOnlyKeys("a", "b", "c");
        }
    }
}
