package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.Upstream;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteTarget.Split}: matches, sticky keys and weights. Keys are {@code user-0 .. user-9999}
 * (the hash is fixed, so every count below is the same on every run); rolls come from
 * {@code SplittableRandom(42)}. Each bound is at least 4.5 standard deviations of the binomial
 * count around its mean.
 */
class SplitTest {

    private static final int KEYS = 10_000;
    private static final RequestContext CTX = RequestContext.builder().requestId("s").eventLoop(TestContexts.DIRECT)
            .blockingExecutor(Runnable::run).peerAddress("10.1.1.1").clientAddress("203.0.113.7").build();

    private final Upstream stable = Upstream.builder().name("stable").endpoint("http://127.0.0.1:9001").build();
    private final Upstream canary = Upstream.builder().name("canary").endpoint("http://127.0.0.1:9002").build();
    private final Upstream third = Upstream.builder().name("third").endpoint("http://127.0.0.1:9003").build();

    private static ProxyRequest request(String... headers) {
        return ProxyRequest.builder().path("/").headers(Headers.of(headers)).build();
    }

    private RouteTarget.Split split(int stableWeight, int canaryWeight) {
        return RouteTarget.Split.builder().upstream(stable, stableWeight).upstream(canary, canaryWeight)
                .sticky(HashKey.cookie("session")).build();
    }

    private static Map<String, Upstream> placeKeys(RouteTarget.Split split) {
        Map<String, Upstream> placed = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            placed.put("user-" + i, split.forKey("user-" + i));
        }
        return placed;
    }

    @Test
    void aHeaderOrCookieMatchSendsToItsUpstreamWhateverTheWeights() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 100).upstream(canary, 0)
                .whenHeader("X-Canary", "1", canary).whenCookie("canary", "1", canary).build();
        SplittableRandom random = new SplittableRandom(42);

        for (int i = 0; i < 100; i++) {
            assertThat(split.select(CTX, request("x-canary", "1"), random)).isSameAs(canary);
            assertThat(split.select(CTX, request("Cookie", "a=b; canary=1"), random)).isSameAs(canary);
            assertThat(split.select(CTX, request("X-Canary", "0", "Cookie", "canary=0"), random)).isSameAs(stable);
            assertThat(split.select(CTX, request(), random)).isSameAs(stable);
        }
    }

    @Test
    void theFirstMatchThatHoldsWinsAndAMatchComesBeforeTheStickyKey() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 1).upstream(canary, 1)
                .sticky(HashKey.header("X-User"))
                .when(HeaderMatcher.present("X-Beta"), third)
                .whenHeader("X-Beta", "yes", canary)
                .build();
        SplittableRandom random = new SplittableRandom(42);

        assertThat(split.select(CTX, request("X-Beta", "yes", "X-User", "u"), random)).isSameAs(third);
        assertThat(split.upstreams()).as("a match's upstream is one the split can send to")
                .containsExactly(stable, canary, third);
    }

    @Test
    void theSameKeyAlwaysGoesToTheSameUpstreamWhileTheWeightsStay() {
        RouteTarget.Split split = split(95, 5);
        RouteTarget.Split rebuilt = split(95, 5);
        SplittableRandom random = new SplittableRandom(42);

        for (int i = 0; i < 2_000; i++) {
            Upstream first = split.select(CTX, request("Cookie", "session=user-" + i), random);
            assertThat(split.select(CTX, request("Cookie", "session=user-" + i), random)).isSameAs(first);
            assertThat(rebuilt.forKey("user-" + i)).as("a split built again from the same settings")
                    .isSameAs(first);
        }
    }

    @Test
    void keysSpreadInProportionToTheWeights() {
        long toCanary = placeKeys(split(95, 5)).values().stream().filter(u -> u == canary).count();
        // mean 500, sd 21.8
        assertThat(toCanary).isBetween(400L, 600L);

        long even = placeKeys(split(1, 1)).values().stream().filter(u -> u == canary).count();
        // mean 5,000, sd 50
        assertThat(even).isBetween(4_750L, 5_250L);
    }

    @Test
    void raisingTheCanaryMovesOnlyTheKeysItGainsAndAllOfThemFromStable() {
        Map<String, Upstream> before = placeKeys(split(95, 5));
        Map<String, Upstream> after = placeKeys(split(90, 10));

        int moved = 0;
        for (Map.Entry<String, Upstream> key : before.entrySet()) {
            Upstream now = after.get(key.getKey());
            if (now != key.getValue()) {
                moved++;
                assertThat(key.getValue()).as("where a moved key was").isSameAs(stable);
                assertThat(now).isSameAs(canary);
            }
        }
        // 5% of the keys should move (mean 500, sd 21.8): the least a 5-point change can move.
        assertThat(moved).isBetween(400, 600);
    }

    @Test
    void withThreeSharesChangingOneWeightMovesKeysOnlyToOrFromThatShare() {
        RouteTarget.Split before = threeShares(50, 25, 25);
        RouteTarget.Split canaryOut = threeShares(50, 0, 25);
        RouteTarget.Split thirdUp = threeShares(50, 25, 50);

        int movedOut = 0;
        int movedUp = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "user-" + i;
            Upstream was = before.forKey(key);
            Upstream out = canaryOut.forKey(key);
            if (was != out) {
                movedOut++;
                assertThat(was).as("only the canary, taken to 0, gives keys up").isSameAs(canary);
            }
            assertThat(out).isNotSameAs(canary);
            Upstream up = thirdUp.forKey(key);
            if (was != up) {
                movedUp++;
                assertThat(up).as("only the share whose weight grew takes keys").isSameAs(third);
            }
        }
        // The canary's quarter moves (mean 2,500, sd 43); third going from 25 to 50 of 125 takes
        // 40% - 25% = 15% of the keys from the other two (mean 1,500, sd 36).
        assertThat(movedOut).isBetween(2_300, 2_700);
        assertThat(movedUp).isBetween(1_330, 1_670);
    }

    private RouteTarget.Split threeShares(int stableWeight, int canaryWeight, int thirdWeight) {
        return RouteTarget.Split.builder().upstream(stable, stableWeight).upstream(canary, canaryWeight)
                .upstream(third, thirdWeight).sticky(HashKey.clientIp()).build();
    }

    @Test
    void aRequestWithoutTheKeyIsDrawnAtRandomByWeight() {
        RouteTarget.Split split = split(95, 5);
        SplittableRandom random = new SplittableRandom(42);

        int toCanary = 0;
        for (int i = 0; i < KEYS; i++) {
            if (split.select(CTX, request(), random) == canary) {
                toCanary++;
            }
        }
        // mean 500, sd 21.8
        assertThat(toCanary).isBetween(400, 600);
    }

    @Test
    void theClientAddressAsKeyKeepsOneClientOnOneUpstream() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 50).upstream(canary, 50)
                .sticky(HashKey.clientIp()).build();
        SplittableRandom random = new SplittableRandom(42);
        Upstream first = split.select(CTX, request(), random);

        for (int i = 0; i < 100; i++) {
            assertThat(split.select(CTX, request(), random)).isSameAs(first);
        }
        assertThat(first).isSameAs(split.forKey("203.0.113.7"));
    }

    @Test
    void aStickySplitNeedsADistinctNamePerShareAndOneKey() {
        Upstream alsoStable = Upstream.builder().name("stable").endpoint("http://127.0.0.1:9009").build();
        assertThatThrownBy(() -> RouteTarget.Split.builder().upstream(stable, 1).upstream(alsoStable, 1)
                .sticky(HashKey.clientIp()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("split: upstream name stable appears twice (expected: a distinct name per share");
        assertThatThrownBy(() -> RouteTarget.Split.builder().sticky(HashKey.clientIp()).sticky(HashKey.path()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sticky was already set to ip");
        assertThat(RouteTarget.Split.builder().upstream(stable, 1).upstream(alsoStable, 1).build().upstreams())
                .as("without a key, names need not differ").hasSize(2);
    }

    @Test
    void describesItself() {
        RouteTarget.Split split = RouteTarget.Split.builder().upstream(stable, 95).upstream(canary, 5)
                .sticky(HashKey.cookie("session")).whenCookie("canary", "1", canary).build();

        assertThat(split).hasToString("split [stable=95, canary=5] sticky by cookie:session,"
                + " when CookieMatcher.equalTo(canary, 1) to canary");
    }
}
