package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private final Endpoint a = Endpoint.of("http://a:1", 5);
    private final Endpoint b = Endpoint.of("http://b:1");
    private final Endpoint c = Endpoint.of("http://c:1", 2);

    @Test
    void picksEachEndpointInTurnIgnoringWeights() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.hosts(selector, 7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void givesAnExcludedEndpointsTurnsToTheOthersInOrder() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.hosts(selector, 6, Set.of(b))).containsExactly("a", "c", "a", "c", "a", "c");
    }

    @Test
    void keepsItsRotationMovingAcrossExcludingAndPlainPicks() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        assertThat(Picks.pick(selector)).isEqualTo(a);
        assertThat(Picks.pick(selector, Set.of(b))).isEqualTo(c);
        assertThat(Picks.pick(selector)).isEqualTo(a);
        assertThat(Picks.pick(selector, Set.of(b, c))).isEqualTo(a);
        assertThat(Picks.pick(selector)).isEqualTo(b);
        assertThat(Picks.pick(selector)).isEqualTo(c);
    }

    @Test
    void selectsNothingAndKeepsItsPlaceWhenEveryEndpointIsExcluded() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));
        Picks.pick(selector);

        assertThat(Picks.pick(selector, Set.of(a, b, c))).isNull();
        assertThat(Picks.pick(selector)).isEqualTo(b);
    }

    @Test
    void givesEveryEndpointTheSameShareFromSeveralThreads() throws Exception {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(List.of(a, b, c)));

        Map<String, Integer> counts = Picks.countsFromThreads(selector, 4, 7_500);

        assertThat(counts).containsOnly(Map.entry("a", 10_000), Map.entry("b", 10_000), Map.entry("c", 10_000));
    }

    @Test
    void selectsNothingFromAnEmptyGroupAndTheMemberOnceOneIsAdded() {
        EndpointGroup group = EndpointGroup.of(List.of());
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(group);

        assertThat(Picks.pick(selector)).isNull();
        group.add(b);
        assertThat(Picks.hosts(selector, 3)).containsExactly("b", "b", "b");
    }

    @Test
    void printsAsItsFactory() {
        assertThat(LoadBalancer.roundRobin()).hasToString("roundRobin");
    }
}
