package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.EndpointState.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class EndpointGroupTest {

    private final Endpoint a = Endpoint.of("http://a:1");
    private final Endpoint b = Endpoint.of("http://b:1");
    private final Endpoint c = Endpoint.of("http://c:1");

    private final Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).endpoint(c)
            .loadBalancer(LoadBalancer.roundRobin()).build();
    private final EndpointGroup group = upstream.group();

    @Test
    void addsAnEndpointLastAndRefusesASecondOneForTheSameServer() {
        assertThat(group.add(Endpoint.of("http://d:1"))).isTrue();
        assertThat(group.add(Endpoint.of("HTTP://D:1/", 7))).isFalse();

        assertThat(group.endpoints()).containsExactly(a, b, c, Endpoint.of("http://d:1"));
        assertThat(group.snapshot().version()).isEqualTo(1);
    }

    @Test
    void removesTheMemberForTheSameServerWhateverItsWeight() {
        assertThat(group.remove(Endpoint.of("http://b:1", 9))).isTrue();
        assertThat(group.remove(b)).isFalse();

        assertThat(group.endpoints()).containsExactly(a, c);
        assertThat(Picks.hosts(upstream.selector(), 4)).containsExactly("a", "c", "a", "c");
    }

    @Test
    void refusesTheSameServerTwiceWhenMade() {
        assertThatThrownBy(() -> EndpointGroup.of(List.of(a, Endpoint.of("http://a:1", 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: \"http://a:1\" (expected: each endpoint once)");
    }

    @Test
    void removesADrainedEndpointAtOnceWhenNothingIsInFlight() {
        CompletionStage<Void> drained = group.drain(b);

        assertThat(drained.toCompletableFuture()).isCompleted();
        assertThat(group.endpoints()).containsExactly(a, c);
    }

    @Test
    void stopsSelectingADrainingEndpointAndRemovesItWhenItsLastSelectionCompletes() {
        Selection first = select();
        Selection second = select();
        assertThat(second.endpoint()).isEqualTo(b);

        CompletableFuture<Void> drained = group.drain(b).toCompletableFuture();

        assertThat(drained).isNotDone();
        assertThat(group.endpoints()).containsExactly(a, b, c);
        assertThat(group.state(b).orElseThrow().isDraining()).isTrue();
        assertThat(Picks.hosts(upstream.selector(), 4)).doesNotContain("b");
        first.complete(Outcome.response(200, 1));
        assertThat(drained).isNotDone();

        second.complete(Outcome.response(200, 1));

        assertThat(drained).isCompleted();
        assertThat(group.endpoints()).containsExactly(a, c);
        assertThat(second.state().inFlight()).isZero();
    }

    @Test
    void givesTheSameStageToASecondDrainAndACompletedOneForAnEndpointNotInTheGroup() {
        Selection selection = select();

        CompletionStage<Void> drained = group.drain(a);

        assertThat(group.drain(a).toCompletableFuture()).isNotDone();
        assertThat(group.drain(Endpoint.of("http://z:1")).toCompletableFuture()).isCompleted();
        selection.complete(Outcome.abandoned(0));
        assertThat(drained.toCompletableFuture()).isCompleted();
        assertThat(group.drain(a).toCompletableFuture()).isCompleted();
    }

    @Test
    void completesADrainWhenTheEndpointIsRemovedMeanwhile() {
        Selection selection = select();
        CompletableFuture<Void> drained = group.drain(a).toCompletableFuture();

        group.remove(a);

        assertThat(drained).isCompleted();
        selection.complete(Outcome.response(200, 0));
        assertThat(group.endpoints()).containsExactly(b, c);
    }

    @Test
    void doesNotSelectUnhealthyEndpointsWhileAnotherIsHealthy() {
        assertThat(group.setHealth(b, Health.UNHEALTHY)).isTrue();

        assertThat(group.snapshot().isPanic()).isFalse();
        assertThat(Picks.hosts(upstream.selector(), 4)).containsExactly("a", "c", "a", "c");

        group.setHealth(b, Health.HEALTHY);
        assertThat(Picks.hosts(upstream.selector(), 3)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void selectsAmongAllEndpointsThatAreNotDrainingWhenNoneIsHealthy() {
        group.setHealth(a, Health.UNHEALTHY);
        group.setHealth(b, Health.UNHEALTHY);
        group.setHealth(c, Health.UNHEALTHY);
        group.drain(c);

        assertThat(group.snapshot().isPanic()).isTrue();
        assertThat(Picks.counts(upstream.selector(), 6)).containsOnly(Map.entry("a", 3), Map.entry("b", 3));
    }

    @Test
    void selectsNothingWhenEveryEndpointIsDraining() {
        Selection selection = select();
        group.drain(b);
        group.drain(c);
        group.drain(a);

        assertThat(upstream.select(Picks.CTX, Picks.REQUEST, Set.of())).isEmpty();
        assertThat(group.snapshot().isPanic()).isFalse();
        selection.complete(Outcome.response(200, 0));
        assertThat(group.endpoints()).isEmpty();
    }

    @Test
    void tellsListenersOfEachChangeWithTheSnapshotItMade() {
        List<List<Endpoint>> seen = new ArrayList<>();
        EndpointGroup.Listener listener = snapshot -> seen.add(snapshot.endpoints());
        group.addListener(listener);

        group.add(Endpoint.of("http://d:1"));
        group.remove(a);
        group.setWeight(b, 5);
        group.setWeight(b, 5);
        group.setHealth(c, Health.UNHEALTHY);
        assertThat(group.removeListener(listener)).isTrue();
        group.remove(b);

        assertThat(seen).containsExactly(
                List.of(a, b, c, Endpoint.of("http://d:1")),
                List.of(b, c, Endpoint.of("http://d:1")),
                List.of(Endpoint.of("http://b:1", 5), c, Endpoint.of("http://d:1")),
                List.of(Endpoint.of("http://b:1", 5), c, Endpoint.of("http://d:1")));
    }

    @Test
    void keepsTellingOtherListenersWhenOneFails() {
        List<Long> versions = new ArrayList<>();
        group.addListener(snapshot -> {
            throw new IllegalStateException("listener broke");
        });
        group.addListener(snapshot -> versions.add(snapshot.version()));

        group.remove(a);

        assertThat(versions).containsExactly(1L);
    }

    @Test
    void refusesAWeightOutsideOneToAThousand() {
        assertThatThrownBy(() -> group.setWeight(a, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 0 (expected: 1..1000)");
        assertThat(group.setWeight(Endpoint.of("http://z:1"), 3)).isFalse();
    }

    @Test
    void honoursNewWeightsFromTheNextSelectionOn() {
        Upstream weighted = Upstream.of("http://a:1", "http://b:1");
        Picks.hosts(weighted.selector(), 3);

        weighted.group().setWeight(Endpoint.of("http://a:1"), 3);
        weighted.group().add(Endpoint.of("http://c:1", 2));

        assertThat(Picks.counts(weighted.selector(), 6))
                .containsOnly(Map.entry("a", 3), Map.entry("b", 1), Map.entry("c", 2));
        assertThat(weighted.endpoints()).containsExactly(
                Endpoint.of("http://a:1", 3), Endpoint.of("http://b:1"), Endpoint.of("http://c:1", 2));
    }

    @Test
    void excludesATriedEndpointWhoseWeightChangedSince() {
        Upstream weighted = Upstream.of("http://a:1", "http://b:1");
        weighted.group().setWeight(Endpoint.of("http://a:1"), 4);

        assertThat(Picks.hosts(weighted.selector(), 3, Set.of(Endpoint.of("http://a:1"))))
                .containsExactly("b", "b", "b");
    }

    private Selection select() {
        return upstream.select(Picks.CTX, Picks.REQUEST, Set.of()).orElseThrow();
    }
}
