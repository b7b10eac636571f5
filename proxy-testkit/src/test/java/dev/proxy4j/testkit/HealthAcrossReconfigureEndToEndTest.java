package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.EndpointState.Health;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reconfigure that builds the upstream again under the same name keeps what the proxy knew of
 * its endpoints' health: an endpoint checked down stays out of rotation from the first request of
 * the new configuration (a new upstream would otherwise take it as up until its first check), and
 * comes back only after its rise of passed checks. Checks every 5 s, so that the new upstream's
 * own first check is not what takes it out; retries off, so a request to it could not be hidden.
 */
class HealthAcrossReconfigureEndToEndTest {

    private static final HealthCheck CHECK = HealthCheck.builder("/health")
            .interval(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(2)).rise(2).fall(3).build();

    @RegisterExtension
    static FakeBackend up = FakeBackend.create();

    @RegisterExtension
    static FakeBackend down = FakeBackend.create();

    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(p -> p.accessLog(false).route(r -> r.pathPrefix("/").upstream(api())));

    private static Upstream api() {
        return Upstream.builder().name("api").endpoint(up.uri().toString()).endpoint(down.uri().toString())
                .healthCheck(CHECK).retryPolicy(RetryPolicy.none()).build();
    }

    @BeforeEach
    void stub() {
        up.stubFor(any(anyUrl()).willReturn(ok("up")));
        down.stubFor(any(anyUrl()).willReturn(ok("down")));
        down.healthy(false);
    }

    private Upstream inForce() {
        return proxy.server().upstream("api").orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anEndpointCheckedDownStaysOutAcrossAReconfigureAndComesBackAfterItsRise(Protocol protocol) {
        Upstream before = inForce();
        await(before, s -> s.get(1).health() == Health.UNHEALTHY && s.get(0).lastHealthCheck().isPresent());

        proxy.server().reconfigure(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0)).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(api())).build());

        Upstream after = inForce();
        assertThat(after).isNotSameAs(before);
        List<EndpointStatus> statuses = after.endpointStatuses();
        assertThat(statuses.get(1).health()).as("carried over, before any check of the new upstream")
                .isEqualTo(Health.UNHEALTHY);
        assertThat(statuses.get(1).lastHealthCheck()).contains("failed: status 503");
        assertThat(statuses.get(0).health()).isEqualTo(Health.HEALTHY);
        int toDown = down.requestCount();
        ProxyClient client = protocol.client(proxy);
        for (int i = 0; i < 20; i++) {
            ProxyClient.Response response = client.get("/r/" + i);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("up");
        }
        assertThat(down.requestCount()).isEqualTo(toDown);

        down.healthy(true);
        // Rise 2 at one check per 5 s: back within about 10 s (the count itself is CarryStateTest's).
        assertThat(await(after, s -> s.get(1).health() == Health.HEALTHY).get(1).lastHealthCheck())
                .contains("passed: status 200");
    }

    private static List<EndpointStatus> await(Upstream upstream, Predicate<List<EndpointStatus>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<EndpointStatus> statuses = upstream.endpointStatuses();
        while (!condition.test(statuses)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("upstream " + upstream.name() + " did not get there within 30 s: " + statuses);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            statuses = upstream.endpointStatuses();
        }
        return statuses;
    }
}
