package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.EndpointState.Health;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Upstream.Builder#panicThreshold}: panic routing below a share of endpoints in rotation, as Envoy's. */
class PanicThresholdTest {

    private static Upstream upstream(int threshold) {
        return Upstream.builder().name("api").endpoint("http://a:1").endpoint("http://b:1").endpoint("http://c:1")
                .endpoint("http://d:1").panicThreshold(threshold).build();
    }

    private static void down(Upstream upstream, String... hosts) {
        for (String host : hosts) {
            upstream.group().setHealth(Endpoint.of("http://" + host + ":1"), Health.UNHEALTHY);
        }
    }

    private static List<String> selectable(Upstream upstream) {
        return upstream.group().snapshot().selectable().stream().map(s -> s.endpoint().host()).toList();
    }

    @Test
    void atTheThresholdOnlyTheHealthyAreSelectableAndBelowItEveryEndpointIs() {
        Upstream up = upstream(50);
        down(up, "a", "b");
        assertThat(selectable(up)).as("2 of 4 in rotation: 50%, not below").containsExactly("c", "d");
        assertThat(up.group().snapshot().isPanic()).isFalse();

        down(up, "c");

        assertThat(up.group().snapshot().isPanic()).isTrue();
        assertThat(selectable(up)).as("1 of 4: below 50%").containsExactly("a", "b", "c", "d");
    }

    @Test
    void drainingEndpointsDoNotCountAndAreNeverSelectable() {
        Upstream up = upstream(50);
        up.group().setHealth(Endpoint.of("http://a:1"), Health.UNHEALTHY);
        EndpointState d = up.group().state(Endpoint.of("http://d:1")).orElseThrow();
        d.begin();   // a request in flight keeps it in the group while it drains
        up.group().drain(Endpoint.of("http://d:1"));

        assertThat(selectable(up)).as("2 of the 3 not draining are in rotation").containsExactly("b", "c");
        down(up, "b");
        assertThat(selectable(up)).containsExactly("a", "b", "c");
    }

    @Test
    void theDefaultPanicsOnlyWhenNoneIsInRotation() {
        Upstream up = upstream(0);
        down(up, "a", "b", "c");
        assertThat(selectable(up)).containsExactly("d");
        down(up, "d");
        assertThat(selectable(up)).containsExactly("a", "b", "c", "d");
        assertThat(Upstream.of("http://a:1").panicThreshold()).isZero();
    }

    @Test
    void aThresholdIsAPercentageAndNeedsPanicRouting() {
        assertThatThrownBy(() -> Upstream.builder().panicThreshold(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("panicThreshold: 101 (expected: 0..100)");
        assertThatThrownBy(() -> Upstream.builder().endpoint("http://a:1").panicThreshold(50).panicRouting(false).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("panicThreshold: 50 (expected: 0 when panicRouting is false)");
        assertThat(upstream(50).toBuilder().build().panicThreshold()).isEqualTo(50);
        assertThat(upstream(50).toString()).contains(", panicThreshold=50");
    }
}
