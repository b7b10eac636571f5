package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in selectors while the group changes under them. */
class ChangingGroupTest {

    private final Endpoint stable = Endpoint.of("http://stable:1", 2);
    private final Endpoint removed = Endpoint.of("http://removed:1", 3);
    private final Endpoint drained = Endpoint.of("http://drained:1");

    static Stream<LoadBalancer> loadBalancers() {
        return Stream.of(LoadBalancer.roundRobin(), LoadBalancer.weightedRoundRobin(),
                new WeightedRoundRobinLoadBalancer(0));
    }

    @ParameterizedTest
    @MethodSource("loadBalancers")
    void neverSelectsWhatWasRemovedOrDrainedBeforeTheSelectionBeganNorNothingWhileOneIsLeft(LoadBalancer balancer)
            throws Exception {
        EndpointGroup group = EndpointGroup.of(List.of(stable, removed, drained));
        EndpointSelector selector = balancer.newSelector(group);
        int threads = 3;
        int picksPerThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> pickers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                pickers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < picksPerThread; i++) {
                        boolean removedBefore = group.state(removed).isEmpty();
                        // Drained as of the published snapshot: the flag alone is set just before publishing.
                        boolean drainingBefore = group.snapshot().selectable().stream()
                                .noneMatch(member -> member.endpoint().equals(drained));
                        EndpointState picked = selector.select(Picks.CTX, Picks.REQUEST, Set.of());
                        assertThat(picked).isNotNull();
                        if (removedBefore) {
                            assertThat(picked.endpoint()).isNotEqualTo(removed);
                        }
                        if (drainingBefore) {
                            assertThat(picked.endpoint()).isNotEqualTo(drained);
                        }
                    }
                    return null;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                start.await();
                // Members come and go with changing weights while the pickers run; one stays.
                for (int i = 0; i < 2_000; i++) {
                    Endpoint churn = Endpoint.of("http://churn" + (i % 7) + ":1", 1 + i % 5);
                    group.add(churn);
                    group.setWeight(stable, 1 + i % 9);
                    if (i % 3 == 0) {
                        group.remove(churn);
                    } else {
                        group.drain(churn);
                    }
                }
                group.remove(removed);
                group.drain(drained);
                return null;
            });
            start.countDown();
            writer.get(1, TimeUnit.MINUTES);
            for (Future<?> picker : pickers) {
                picker.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(group.endpoints()).contains(Endpoint.of("http://stable:1", 2)).doesNotContain(removed, drained);
    }

    @ParameterizedTest
    @MethodSource("loadBalancers")
    void starvesNoMemberWhenTheGroupChangesAfterEveryPick(LoadBalancer balancer) {
        Endpoint a = Endpoint.of("http://a:1");
        Endpoint b = Endpoint.of("http://b:1");
        Endpoint c = Endpoint.of("http://c:1");
        Endpoint churn = Endpoint.of("http://churn:1", 2);
        EndpointGroup group = EndpointGroup.of(List.of(a, b, c));
        EndpointSelector selector = balancer.newSelector(group);

        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            hosts.addAll(Picks.hosts(selector, 1));
            if (i % 2 == 0) {
                group.add(churn);
            } else {
                group.remove(churn);
            }
        }

        // Starting each rotation over would give every pick to the first member (or the heaviest).
        for (String host : List.of("a", "b", "c")) {
            assertThat(hosts.stream().filter(host::equals).count()).as(host).isGreaterThanOrEqualTo(75);
        }
    }

    @ParameterizedTest
    @MethodSource("loadBalancers")
    void givesEachMemberItsShareOfAFullPeriodAfterAChange(LoadBalancer balancer) {
        EndpointGroup group = EndpointGroup.of(List.of(Endpoint.of("http://a:1", 3), Endpoint.of("http://b:1")));
        EndpointSelector selector = balancer.newSelector(group);
        Picks.hosts(selector, 5);

        group.setWeight(Endpoint.of("http://b:1"), 2);
        group.add(Endpoint.of("http://c:1", 5));
        group.remove(Endpoint.of("http://a:1"));

        Map<String, Integer> expected = balancer == LoadBalancer.roundRobin()
                ? Map.of("b", 7, "c", 7)
                : Map.of("b", 4, "c", 10);
        assertThat(Picks.counts(selector, 14)).isEqualTo(expected);
    }
}
