package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Canary and A/B splits through a real proxy: header and cookie matches, a split sticky by a
 * cookie over HTTP/1.1 and HTTP/2 clients alike, and weights changed by {@code reconfigure} while
 * 4 clients send requests, with retries off so that no failure could be hidden by one.
 */
class SplitEndToEndTest {

    private static final int KEYS = 100;

    @RegisterExtension
    static FakeBackend stableBackend = FakeBackend.create();

    @RegisterExtension
    static FakeBackend canaryBackend = FakeBackend.create();

    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(p -> p.accessLog(false).route(route(90, 10)));

    private static Upstream upstream(String name, FakeBackend backend) {
        return Upstream.builder().name(name).endpoint(backend.uri().toString()).retryPolicy(RetryPolicy.none()).build();
    }

    /** Sticky by cookie {@code session}; {@code X-Canary: 1} or cookie {@code canary=1} always to the canary. */
    private static Consumer<Route.Builder> route(int stableWeight, int canaryWeight) {
        Upstream stable = upstream("stable", stableBackend);
        Upstream canary = upstream("canary", canaryBackend);
        return r -> r.pathPrefix("/").split(s -> s.upstream(stable, stableWeight).upstream(canary, canaryWeight)
                .sticky(HashKey.cookie("session"))
                .whenHeader("X-Canary", "1", canary)
                .whenCookie("canary", "1", canary));
    }

    private void reconfigure(int stableWeight, int canaryWeight) {
        proxy.server().reconfigure(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0)).accessLog(false)
                .route(route(stableWeight, canaryWeight)).build());
    }

    @BeforeEach
    void stub() {
        stableBackend.stubFor(any(anyUrl()).willReturn(ok("stable")));
        canaryBackend.stubFor(any(anyUrl()).willReturn(ok("canary")));
    }

    /** Where each of the {@value #KEYS} sessions goes, asked one after another with {@code client}. */
    private static Map<String, String> placement(ProxyClient client) {
        Map<String, String> placed = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            ProxyClient.Response response = client.get("/cart", "Cookie", "session=user-" + i);
            assertThat(response.status()).isEqualTo(200);
            placed.put("user-" + i, response.body());
        }
        return placed;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aHeaderOrCookieMatchGoesToTheCanaryWhateverTheWeightsAndTheSession(Protocol protocol) {
        reconfigure(100, 0);
        ProxyClient client = protocol.client(proxy);

        for (int i = 0; i < 20; i++) {
            assertThat(client.get("/", "X-Canary", "1", "Cookie", "session=user-" + i).body()).isEqualTo("canary");
            assertThat(client.get("/", "Cookie", "session=user-" + i + "; canary=1").body()).isEqualTo("canary");
            assertThat(client.get("/", "X-Canary", "0", "Cookie", "session=user-" + i).body()).isEqualTo("stable");
            assertThat(client.get("/").body()).isEqualTo("stable");
        }
    }

    @Test
    void aSessionStaysOnOneUpstreamAcrossRequestsAndAcrossHttp1AndHttp2Clients() {
        Map<String, String> overHttp1 = placement(proxy.client());
        Map<String, String> overHttp2 = placement(proxy.http2Client());
        Map<String, String> again = placement(proxy.client());

        assertThat(overHttp2).isEqualTo(overHttp1);
        assertThat(again).isEqualTo(overHttp1);
        // 10 of 100 sessions should be on the canary (sd 3): at least one, far fewer than half.
        long onCanary = overHttp1.values().stream().filter("canary"::equals).count();
        assertThat(onCanary).isBetween(1L, 30L);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void weightsChangedByReconfigureUnderLoadFailNoRequestAndMoveSessionsOnlyToTheCanary(Protocol protocol)
            throws Exception {
        Map<String, String> at10 = placement(protocol.client(proxy));
        Map<String, String> at50;
        ProxyClient client = protocol.client(proxy);
        try (Load load = new Load(4, (thread, sent) -> client.get("/load", "Cookie", "session=load-" + sent % 50))) {
            load.await(50);
            reconfigure(50, 50);
            load.await(load.sent() + 100);
            at50 = placement(protocol.client(proxy));
            reconfigure(0, 100);
            load.await(load.sent() + 100);
            load.stop();
            assertThat(load.failures()).as("failed requests").isEmpty();
        }
        Map<String, String> at100 = placement(protocol.client(proxy));

        at10.forEach((session, upstream) -> {
            if (upstream.equals("canary")) {
                assertThat(at50.get(session)).as(session + ", on the canary at 10%, stays there at 50%").isEqualTo("canary");
            }
        });
        long movedAt50 = at10.keySet().stream().filter(s -> !at10.get(s).equals(at50.get(s))).count();
        // 40 of 100 sessions should move (sd 4.9): some did, not all.
        assertThat(movedAt50).isBetween(15L, 65L);
        assertThat(at100.values()).containsOnly("canary");
    }
}
