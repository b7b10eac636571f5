package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.EndpointState.Health;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A panic threshold of 50% through a real proxy: with one of three backends failing its checks the
 * other two take the requests; with two of three failing (33% in rotation) requests go to all three.
 */
class PanicThresholdEndToEndTest {

    @RegisterExtension
    static FakeBackendGroup backends = FakeBackendGroup.of(3);

    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(p -> p.accessLog(false).route(r -> r.pathPrefix("/").upstream(api())));

    private static Upstream api() {
        Upstream.Builder b = Upstream.builder().name("api").panicThreshold(50)
                .healthCheck(HealthCheck.builder("/health").interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(2))
                        .rise(1).fall(1).build());
        backends.uris().forEach(uri -> b.endpoint(uri.toString()));
        return b.build();
    }

    @BeforeEach
    void stub() {
        for (int i = 0; i < backends.size(); i++) {
            backends.get(i).healthy(true).stubFor(any(anyUrl()).willReturn(ok("backend-" + i)));
        }
    }

    private Upstream upstream() {
        return proxy.server().upstream("api").orElseThrow();
    }

    private void await(Predicate<Upstream> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.test(upstream())) {
            assertThat(System.nanoTime() - deadline).as("within 30 s: " + upstream().endpointStatuses()).isNegative();
            Thread.sleep(20);
        }
    }

    private int[] sent(int requests) {
        int[] before = new int[backends.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = backends.get(i).requestCount();
        }
        ProxyClient client = proxy.client();
        for (int i = 0; i < requests; i++) {
            assertThat(client.get("/r/" + i).status()).isEqualTo(200);
        }
        int[] received = new int[before.length];
        for (int i = 0; i < before.length; i++) {
            received[i] = backends.get(i).requestCount() - before[i];
        }
        return received;
    }

    @Test
    void belowTheThresholdRequestsGoToEveryEndpointAndAtItOnlyToTheHealthy() throws Exception {
        await(u -> u.endpointStatuses().stream().allMatch(s -> s.health() == Health.HEALTHY));
        backends.get(2).healthy(false);
        await(u -> u.endpointStatuses().get(2).health() == Health.UNHEALTHY);

        int[] twoOfThree = sent(30);
        assertThat(upstream().group().snapshot().isPanic()).as("2 of 3 in rotation: 67%").isFalse();
        assertThat(twoOfThree[2]).isZero();

        backends.get(1).healthy(false);
        await(u -> u.endpointStatuses().get(1).health() == Health.UNHEALTHY);

        assertThat(upstream().group().snapshot().isPanic()).as("1 of 3 in rotation: 33%").isTrue();
        int[] oneOfThree = sent(30);
        assertThat(oneOfThree).as("requests each backend got").doesNotContain(0);
    }
}
