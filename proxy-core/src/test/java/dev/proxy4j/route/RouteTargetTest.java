package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.Upstream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteTargetTest {

    private final Upstream stable = Upstream.of("http://127.0.0.1:9001");
    private final Upstream canary = Upstream.of("http://127.0.0.1:9002");

    @Test
    void aSplitLaysItsRollsOutShareAfterShare() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 95).upstream(canary, 5).build();

        assertThat(split.totalWeight()).isEqualTo(100);
        assertThat(split.choose(0)).isSameAs(stable);
        assertThat(split.choose(94)).isSameAs(stable);
        assertThat(split.choose(95)).isSameAs(canary);
        assertThat(split.choose(99)).isSameAs(canary);
        assertThatThrownBy(() -> split.choose(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("roll: 100 (expected: 0..99)");
    }

    @Test
    void aShareOfWeightZeroIsNeverChosen() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 0).upstream(canary, 1).build();

        assertThat(split.choose(0)).isSameAs(canary);
        assertThat(split.upstreams()).containsExactly(stable, canary);
    }

    @Test
    void aSplitNeedsAShareWithWeight() {
        assertThatThrownBy(() -> RouteTarget.Split.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("split: [] (expected: at least one upstream)");
        assertThatThrownBy(() -> RouteTarget.Split.builder().upstream(stable, 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("split: every weight is 0 (expected: at least one weight > 0)");
        assertThatThrownBy(() -> RouteTarget.Split.builder().upstream(stable, 10_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 10001 (expected: 0..10000)");
    }

    @Test
    void aRouteHasExactlyOneTarget() {
        Route local = Route.builder().path("/healthz")
                .local((ctx, request) -> CompletableFuture.completedFuture(ProxyResponse.text(200, "ok"))).build();

        assertThat(local.target()).isInstanceOf(RouteTarget.Local.class);
        assertThat(local.upstream()).isEmpty();
        assertThat(local.target().upstreams()).isEmpty();
        assertThatThrownBy(() -> Route.builder().upstream(stable).split(s -> s.upstream(canary, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("target was already set to 127.0.0.1:9001");
    }

    @Test
    void aSplitRouteNamesEveryUpstreamItCanSendTo() {
        Route route = Route.builder().split(s -> s.upstream(stable, 9).upstream(canary, 1)).build();

        assertThat(route.target().upstreams()).containsExactly(stable, canary);
        assertThat(route.upstream()).isEmpty();
    }
}
