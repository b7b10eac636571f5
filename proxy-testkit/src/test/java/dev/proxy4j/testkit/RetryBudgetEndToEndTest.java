package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.RequestLog;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Upstream;
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
 * The retry budget under a burst: {@value #BURST} GETs at once to three backends that all answer
 * 503 after 1.5 s. With no budget each request would be tried 3 times (90 backend requests); with
 * a budget of one retry in flight, the retries are few, the clients that were refused one get the
 * 503 at once, and each such request says so in its request log and in the budget's count.
 */
class RetryBudgetEndToEndTest {

    private static final int BURST = 30;

    @RegisterExtension
    static FakeBackendGroup backends = FakeBackendGroup.of(3);

    private static final ConcurrentLinkedQueue<RequestLog> logs = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b.accessLog(false).requestLogListener(logs::add)
            .route(r -> r.pathPrefix("/").upstream(api())));

    private static Upstream api() {
        Upstream.Builder builder = Upstream.builder().name("api")
                .retryPolicy(RetryPolicy.builder().minRetryConcurrency(1).budgetPercent(1).build());
        backends.uris().forEach(uri -> builder.endpoint(uri.toString()));
        return builder.build();
    }

    @BeforeEach
    void stub() {
        for (FakeBackend backend : backends.backends()) {
            backend.stubFor(any(anyUrl()).willReturn(serviceUnavailable().withBody("busy").withFixedDelay(1_500)));
        }
        logs.clear();
    }

    private int backendRequests() {
        return backends.backends().stream().mapToInt(FakeBackend::requestCount).sum();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBurstOfFailingRequestsGetsNoMoreRetriesThanTheBudgetAndSaysWhichWereRefused(Protocol protocol)
            throws Exception {
        Upstream api = proxy.server().upstream("api").orElseThrow();
        long refusedBefore = api.retryBudget().refused();
        int requestsBefore = backendRequests();
        ProxyClient client = protocol.client(proxy);
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                int n = i;
                answers.add(pool.submit(() -> client.get("/burst/" + n).status()));
            }
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        // Each request's log is complete once its exchange is: wait for all of them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (logs.stream().filter(RequestLog::isComplete).count() < BURST && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(statuses).as("every client gets the backends' 503, none the proxy's error").containsOnly(503);
        int sent = backendRequests() - requestsBefore;
        long spentInLog = logs.stream().filter(RequestLog::retryBudgetSpent).count();
        long retried = logs.stream().filter(log -> log.attempts().size() > 1).count();
        // One retry in flight at a time, each held 1.5 s by its backend: a handful in the few seconds
        // the burst lasts, however slow the machine, against 60 with no budget.
        assertThat(sent).as("backend requests for " + BURST + " client requests").isBetween(BURST, BURST + 15);
        assertThat(spentInLog).as("requests whose retry the budget refused").isGreaterThanOrEqualTo(BURST - 15);
        assertThat(api.retryBudget().refused() - refusedBefore).isEqualTo(spentInLog);
        assertThat(retried).isPositive();
        assertThat(logs).filteredOn(RequestLog::retryBudgetSpent)
                .allSatisfy(log -> assertThat(log.status()).isEqualTo(503));
    }
}
