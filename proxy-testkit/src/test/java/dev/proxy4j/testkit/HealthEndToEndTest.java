package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.EndpointState.Health;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Active health checks and outlier ejection through a real proxy over three real backends, from
 * HTTP/1.1 and HTTP/2 clients: short intervals, and bounded polling for the state to change.
 */
class HealthEndToEndTest {

    @RegisterExtension
    static final FakeBackendGroup backends = FakeBackendGroup.of(3);

    private static final HealthCheck FAST = HealthCheck.builder("/health")
            .interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(2)).rise(2).fall(2).build();

    static final Upstream checked = upstream("checked").healthCheck(FAST).build();
    static final Upstream strict = upstream("strict").healthCheck(FAST).panicRouting(false).build();
    static final Upstream ejecting = upstream("ejecting").outlierDetection(OutlierDetection.defaults()
            .withConsecutive5xx(3).withMaxEjectionPercent(34).withInterval(Duration.ofMillis(100))
            .withBaseEjectionTime(Duration.ofSeconds(4))).build();

    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/checked").upstream(checked))
            .route(r -> r.pathPrefix("/strict").upstream(strict))
            .route(r -> r.pathPrefix("/ejecting").upstream(ejecting)));

    private static Upstream.Builder upstream(String name) {
        Upstream.Builder b = Upstream.builder().name(name);
        backends.uris().forEach(uri -> b.endpoint(uri.toString()));
        return b;
    }

    @BeforeEach
    void stubAndWaitForEveryBackendToBeUp() {
        for (int i = 0; i < backends.size(); i++) {
            backends.get(i).stubFor(any(anyUrl()).willReturn(ok("backend-" + i)));
        }
        await(checked, s -> s.stream().allMatch(e -> e.health() == Health.HEALTHY));
        await(strict, s -> s.stream().allMatch(e -> e.health() == Health.HEALTHY));
        await(ejecting, s -> s.stream().noneMatch(EndpointStatus::ejected));
        backends.backends().forEach(FakeBackend::reset);
        for (int i = 0; i < backends.size(); i++) {
            backends.get(i).stubFor(any(anyUrl()).willReturn(ok("backend-" + i)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "http/2"})
    void aBackendThatFailsItsChecksLeavesTheRotationAndComesBackWhenItPassesAgain(String protocol) {
        try (ProxyClient client = client(protocol)) {
            backends.get(1).healthy(false).respondToEverything(500, "sick");
            backends.get(1).stubFor(any(anyUrl()).atPriority(1).willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.serverError().withBody("sick")));

            List<EndpointStatus> down = await(checked, s -> s.get(1).health() == Health.UNHEALTHY);
            assertThat(down.get(1).lastHealthCheck()).contains("failed: status 503");
            assertThat(down.get(1).selectable()).isFalse();
            int before = backends.get(1).requestCount();
            for (int i = 0; i < 30; i++) {
                ProxyClient.Response response = client.get("/checked/" + i);
                assertThat(response.status()).as("request %s", i).isEqualTo(200);
                assertThat(response.body()).isIn("backend-0", "backend-2");
            }
            assertThat(backends.get(1).requestCount()).isEqualTo(before);

            backends.get(1).reset();
            backends.get(1).stubFor(any(anyUrl()).willReturn(ok("backend-1")));
            List<EndpointStatus> up = await(checked, s -> s.get(1).health() == Health.HEALTHY);
            assertThat(up.get(1).lastHealthCheck()).contains("passed: status 200");
            int toRecovered = 0;
            for (int i = 0; i < 30; i++) {
                ProxyClient.Response response = client.get("/checked/" + i);
                assertThat(response.status()).isEqualTo(200);
                toRecovered += response.body().equals("backend-1") ? 1 : 0;
            }
            assertThat(toRecovered).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "http/2"})
    void aBackendThatStopsIsCheckedOutAndClientsSeeNoErrorAfterThat(String protocol) {
        try (ProxyClient client = client(protocol)) {
            backends.get(2).stop();
            try {
                List<EndpointStatus> down = await(checked, s -> s.get(2).health() == Health.UNHEALTHY);
                assertThat(down.get(2).lastHealthCheck()).hasValueSatisfying(
                        check -> assertThat(check).startsWith("failed: "));
                for (int i = 0; i < 30; i++) {
                    assertThat(client.get("/checked/" + i).body()).isIn("backend-0", "backend-1");
                }
            } finally {
                backends.get(2).start();
            }
            await(checked, s -> s.get(2).health() == Health.HEALTHY);
        }
    }

    @Test
    void routesToEveryBackendWhenAllFailTheirChecksAndAnswers503WithoutPanicRouting() {
        try (ProxyClient client = client("http/1.1")) {
            backends.backends().forEach(backend -> backend.healthy(false));
            await(checked, s -> s.stream().allMatch(e -> e.health() == Health.UNHEALTHY));
            await(strict, s -> s.stream().allMatch(e -> e.health() == Health.UNHEALTHY));

            ProxyClient.Response panic = client.get("/checked/x");
            assertThat(panic.status()).isEqualTo(200);
            assertThat(panic.body()).startsWith("backend-");
            ProxyClient.Response none = client.get("/strict/x");
            assertThat(none.status()).isEqualTo(503);
            for (int i = 0; i < backends.size(); i++) {
                assertThat(none.body()).doesNotContain(String.valueOf(backends.get(i).port()));
            }

            backends.get(0).healthy(true);
            await(strict, s -> s.get(0).health() == Health.HEALTHY);
            assertThat(client.get("/strict/x").body()).isEqualTo("backend-0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "http/2"})
    void anEndpointAnswering5xxIsEjectedThenTriedAgainOnceItsEjectionEnds(String protocol) {
        try (ProxyClient client = client(protocol)) {
            backends.get(0).stubFor(any(anyUrl()).atPriority(1).willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.serverError().withBody("broken")));
            // The other protocol's run ejected it too: its count of ejections in a row drops back to 0
            // after an interval in rotation.
            await(ejecting, st -> !st.get(0).ejected() && st.get(0).ejections() == 0);
            int before = backends.get(0).requestCount();
            int requests = 0;
            while (backends.get(0).requestCount() - before < 3 && requests < 60) {
                client.get("/ejecting/" + requests++);
            }
            // The outcome of the third 500 is counted when its exchange completes, just after the client has it.
            await(ejecting, st -> st.get(0).ejected());
            // Three 500s in a row from backend 0 among round-robin turns: its ninth request at the latest.
            assertThat(requests).isLessThanOrEqualTo(9);
            assertThat(ejecting.endpointStatuses().get(0).ejections()).isEqualTo(1);

            // While the ejection lasts (4 s; requests sent only while a second of it is left) nothing reaches backend 0.
            int sent = 0;
            while (sent < 20 && ejecting.endpointStatuses().get(0).ejectedFor().orElse(Duration.ZERO)
                    .compareTo(Duration.ofSeconds(1)) > 0) {
                ProxyClient.Response response = client.get("/ejecting/" + sent++);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isIn("backend-1", "backend-2");
            }
            assertThat(sent).as("requests sent while ejected").isPositive();

            backends.get(0).reset();
            backends.get(0).stubFor(any(anyUrl()).willReturn(ok("backend-0")));
            await(ejecting, s -> !s.get(0).ejected());
            int toBackend0 = 0;
            for (int i = 0; i < 30; i++) {
                ProxyClient.Response response = client.get("/ejecting/" + i);
                assertThat(response.status()).isEqualTo(200);
                toBackend0 += response.body().equals("backend-0") ? 1 : 0;
            }
            assertThat(toBackend0).isPositive();
        }
    }

    @Test
    void theProxyServerNamesItsUpstreamsForTheReadApi() {
        assertThat(proxy.server().upstream("checked")).containsSame(checked);
        assertThat(proxy.server().upstreams()).extracting(Upstream::name).containsExactly("checked", "strict", "ejecting");
        assertThat(proxy.server().upstream("nope")).isEmpty();
        assertThat(checked.endpointStatuses()).extracting(s -> s.endpoint().uri()).containsExactlyElementsOf(
                backends.uris());
    }

    private static ProxyClient client(String protocol) {
        return protocol.equals("http/2") ? ProxyClient.http2(proxy.uri()) : ProxyClient.http1(proxy.uri());
    }

    /** Polls the upstream's statuses, every 20 ms for up to 10 s, until {@code condition} holds; they are returned. */
    private static List<EndpointStatus> await(Upstream upstream, Predicate<List<EndpointStatus>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<EndpointStatus> statuses = upstream.endpointStatuses();
        while (!condition.test(statuses)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("upstream " + upstream.name() + " did not get there within 10 s: " + statuses);
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
