package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinTest {

    private static final LoadBalancer LOCKING = new WeightedRoundRobinLoadBalancer(0);

    private final Endpoint a = Endpoint.of("http://a:1", 3);
    private final Endpoint b = Endpoint.of("http://b:1");
    private final Endpoint c = Endpoint.of("http://c:1");

    /*
     * nginx's smooth weighted round-robin for a=3, b=1, c=1 (total 5), current weights before and
     * after each pick; the first of equal weights wins:
     *   +w: 3  1  1 -> a: -2  1  1
     *   +w: 1  2  2 -> b:  1 -3  2
     *   +w: 4 -2  3 -> a: -1 -2  3
     *   +w: 2 -1  4 -> c:  2 -1 -1
     *   +w: 5  0  0 -> a:  0  0  0   (back where it started)
     */
    @Test
    void spreadsWeightsThreeOneOneAsNginxDoes() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.hosts(selector, 10)).containsExactly("a", "b", "a", "c", "a", "a", "b", "a", "c", "a");
    }

    @Test
    void spreadsWeightsFiveOneOneAsNginxDocumentsIt() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(
                Endpoint.of("http://a:1", 5), Endpoint.of("http://b:1"), Endpoint.of("http://c:1"))));

        assertThat(Picks.hosts(selector, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void picksEachEndpointInProportionToItsWeight() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.counts(selector, 1000))
                .containsOnly(Map.entry("a", 600), Map.entry("b", 200), Map.entry("c", 200));
    }

    @Test
    void picksInTurnWhenWeightsAreEqual() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(
                Endpoint.of("http://a:1", 4), Endpoint.of("http://b:1", 4), Endpoint.of("http://c:1", 4))));

        assertThat(Picks.hosts(selector, 6)).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void picksTheSameOrderForWeightsWithACommonFactor() {
        EndpointSelector scaled = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(
                Endpoint.of("http://a:1", 600), Endpoint.of("http://b:1", 200), Endpoint.of("http://c:1", 200))));

        assertThat(Picks.hosts(scaled, 10)).containsExactly("a", "b", "a", "c", "a", "a", "b", "a", "c", "a");
    }

    @Test
    void givesAnExcludedEndpointsTurnsToTheOthersByWeight() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.hosts(selector, 8, Set.of(b))).containsExactly("a", "a", "c", "a", "a", "a", "c", "a");
    }

    @Test
    void keepsItsRotationMovingAcrossExcludingAndPlainPicks() {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.pick(selector)).isEqualTo(a);
        assertThat(Picks.pick(selector, Set.of(b))).isEqualTo(a);
        assertThat(Picks.pick(selector)).isEqualTo(c);
        assertThat(Picks.pick(selector, Set.of(a))).isEqualTo(b);
        assertThat(Picks.pick(selector)).isEqualTo(a);
    }

    @Test
    void givesEveryEndpointItsExactShareFromSeveralThreads() throws Exception {
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        Map<String, Integer> counts = Picks.countsFromThreads(selector, 4, 5_000);

        assertThat(counts).containsOnly(Map.entry("a", 12_000), Map.entry("b", 4_000), Map.entry("c", 4_000));
    }

    @Test
    void picksInTheSameOrderWhenItRunsNginxPickByPickUnderALock() {
        for (List<Integer> weights : List.of(List.of(3, 1, 1), List.of(5, 1, 1), List.of(7, 3, 2, 1),
                List.of(1, 2), List.of(10, 4, 6), List.of(1000, 1, 999))) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                endpoints.add(Endpoint.of("http://" + (char) ('a' + i) + ":1", weights.get(i)));
            }
            int twoPeriods = 2 * weights.stream().mapToInt(Integer::intValue).sum();

            assertThat(Picks.hosts(LOCKING.newSelector(EndpointGroup.of(endpoints)), twoPeriods))
                    .as("weights %s", weights)
                    .isEqualTo(Picks.hosts(LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(endpoints)), twoPeriods));
        }
    }

    @Test
    void picksEachEndpointExactlyItsWeightOncePerPeriodWhenWeightsAreTooManyToScheduleAhead() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            endpoints.add(Endpoint.of("http://e" + i + ":1", 1000 - i));
        }
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(endpoints));

        Map<String, Integer> counts = Picks.counts(selector, 10_945);

        for (int i = 0; i < 11; i++) {
            assertThat(counts).containsEntry("e" + i, 1000 - i);
        }
    }

    @Test
    void givesAnExcludedEndpointsTurnsToTheOthersByWeightWhenItLocks() {
        EndpointSelector selector = LOCKING.newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.hosts(selector, 8, Set.of(b))).containsExactly("a", "a", "c", "a", "a", "a", "c", "a");
        assertThat(Picks.pick(selector, Set.of(a, b, c))).isNull();
    }

    @Test
    void givesEveryEndpointItsExactShareFromSeveralThreadsWhenItLocks() throws Exception {
        EndpointSelector selector = LOCKING.newSelector(EndpointGroup.of(List.of(a, b, c)));

        Map<String, Integer> counts = Picks.countsFromThreads(selector, 4, 5_000);

        assertThat(counts).containsOnly(Map.entry("a", 12_000), Map.entry("b", 4_000), Map.entry("c", 4_000));
    }

    @Test
    void selectsNothingFromAnEmptyGroupAndTheMemberOnceOneIsAdded() {
        EndpointGroup group = EndpointGroup.of(List.of());
        EndpointSelector selector = LoadBalancer.weightedRoundRobin().newSelector(group);

        assertThat(Picks.pick(selector)).isNull();
        group.add(b);
        assertThat(Picks.hosts(selector, 3)).containsExactly("b", "b", "b");
    }

    @Test
    void printsAsItsFactory() {
        assertThat(LoadBalancer.weightedRoundRobin()).hasToString("weightedRoundRobin");
    }
}
