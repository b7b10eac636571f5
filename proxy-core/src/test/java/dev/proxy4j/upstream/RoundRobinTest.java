package dev.proxy4j.upstream;

import static dev.proxy4j.upstream.Picks.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(List.of(a, b, c));

        assertThat(Picks.hosts(selector, 7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void givesAnExcludedEndpointsTurnsToTheOthersInOrder() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(List.of(a, b, c));

        assertThat(Picks.hosts(selector, 6, Set.of(b))).containsExactly("a", "c", "a", "c", "a", "c");
    }

    @Test
    void keepsItsRotationMovingAcrossExcludingAndPlainPicks() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(List.of(a, b, c));

        assertThat(selector.select(REQUEST)).isEqualTo(a);
        assertThat(selector.select(REQUEST, Set.of(b))).isEqualTo(c);
        assertThat(selector.select(REQUEST)).isEqualTo(a);
        assertThat(selector.select(REQUEST, Set.of(b, c))).isEqualTo(a);
        assertThat(selector.select(REQUEST)).isEqualTo(b);
        assertThat(selector.select(REQUEST)).isEqualTo(c);
    }

    @Test
    void selectsNothingAndKeepsItsPlaceWhenEveryEndpointIsExcluded() {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(List.of(a, b, c));
        selector.select(REQUEST);

        assertThat(selector.select(REQUEST, Set.of(a, b, c))).isNull();
        assertThat(selector.select(REQUEST)).isEqualTo(b);
    }

    @Test
    void givesEveryEndpointTheSameShareFromSeveralThreads() throws Exception {
        EndpointSelector selector = LoadBalancer.roundRobin().newSelector(List.of(a, b, c));

        Map<String, Integer> counts = Picks.countsFromThreads(selector, 4, 7_500);

        assertThat(counts).containsOnly(Map.entry("a", 10_000), Map.entry("b", 10_000), Map.entry("c", 10_000));
    }

    @Test
    void rejectsAnEmptyListOfEndpoints() {
        assertThatThrownBy(() -> LoadBalancer.roundRobin().newSelector(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoints: [] (expected: at least one)");
    }

    @Test
    void printsAsItsFactory() {
        assertThat(LoadBalancer.roundRobin()).hasToString("roundRobin");
    }
}
