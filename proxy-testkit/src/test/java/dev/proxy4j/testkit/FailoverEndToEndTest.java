package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.Attempt;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bench's failover scenario, counted rather than timed: one of three backends answers 503 to
 * everything. Its first retry goes to another endpoint at once, so the backoff is set to an hour:
 * a retry that waited for it would outlast the client's 10 s timeout and fail the test. The
 * endpoint is ejected after 3 503s in a row (the bench's outlier detection), so it sees at most 3
 * plus the requests in flight at that moment, and none after. The retry budget is not under test
 * here: it allows a retry per client.
 */
class FailoverEndToEndTest {

    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 15;

    @RegisterExtension
    static FakeBackendGroup backends = FakeBackendGroup.of(3);

    private final ConcurrentLinkedQueue<RequestLog> logs = new ConcurrentLinkedQueue<>();

    /** A proxy per test, so that each starts with no ejection. */
    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(b -> b.accessLog(false).requestLogListener(logs::add)
            .route(r -> r.pathPrefix("/").upstream(pool())));

    private static Upstream pool() {
        Upstream.Builder builder = Upstream.builder().name("pool").loadBalancer(LoadBalancer.roundRobin())
                .outlierDetection(OutlierDetection.defaults().withConsecutive5xx(3).withConsecutiveGatewayFailures(3)
                        .withInterval(Duration.ofSeconds(1)).withBaseEjectionTime(Duration.ofMinutes(1))
                        .withMaxEjectionPercent(34))
                .retryPolicy(RetryPolicy.builder().backoff(Duration.ofHours(1), Duration.ofHours(1))
                        .minRetryConcurrency(CLIENTS).build());
        backends.uris().forEach(uri -> builder.endpoint(uri.toString()));
        return builder.build();
    }

    @BeforeEach
    void stub() {
        backends.get(0).stubFor(any(anyUrl()).willReturn(ok("a")));
        backends.get(1).stubFor(any(anyUrl()).willReturn(ok("b")));
        backends.get(2).stubFor(any(anyUrl()).willReturn(serviceUnavailable().withBody("down")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBackendAnswering503IsPassedOverAtOnceAndEjectedAfterThreeInARow(Protocol protocol) throws Exception {
        URI failing = backends.get(2).uri();
        List<Integer> statuses = burst(protocol);

        assertThat(statuses).hasSize(CLIENTS * PER_CLIENT).containsOnly(200);
        List<RequestLog> done = finished(CLIENTS * PER_CLIENT);
        List<RequestLog> retried = done.stream().filter(log -> log.attempts().size() > 1).toList();
        assertThat(retried).as("each request that met the 503 was retried once").isNotEmpty()
                .allSatisfy(log -> {
                    assertThat(log.attempts()).hasSize(2);
                    Attempt first = log.attempts().get(0);
                    assertThat(first.endpoint().uri().getPort()).isEqualTo(failing.getPort());
                    assertThat(first.status()).isEqualTo(503);
                    assertThat(log.attempts().get(1).status()).isEqualTo(200);
                });
        assertThat(backends.get(2).requestCount()).as("3 in a row eject it; what was in flight then still reaches it")
                .isEqualTo(retried.size()).isBetween(3, 3 + CLIENTS);
        EndpointStatus status = proxy.server().upstream("pool").orElseThrow().endpointStatuses().stream()
                .filter(s -> s.endpoint().uri().getPort() == failing.getPort()).findFirst().orElseThrow();
        assertThat(status.ejected()).isTrue();
        assertThat(status.selectable()).isFalse();

        // Ejected: the next requests are answered at their first attempt, none reaches it.
        int before = backends.get(2).requestCount();
        ProxyClient client = protocol.client(proxy);
        for (int i = 0; i < 12; i++) {
            assertThat(client.get("/after/" + i).status()).isEqualTo(200);
        }
        assertThat(backends.get(2).requestCount()).isEqualTo(before);
    }

    private List<Integer> burst(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<Integer>>> answers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int n = c;
                answers.add(pool.submit(() -> {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < PER_CLIENT; i++) {
                        mine.add(client.get("/burst/" + n + "/" + i).status());
                    }
                    return mine;
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> answer : answers) {
                statuses.addAll(answer.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The request logs of {@code count} exchanges, once all have completed (they complete after the response). */
    private List<RequestLog> finished(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (logs.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(logs).hasSize(count);
        return List.copyOf(logs);
    }
}
