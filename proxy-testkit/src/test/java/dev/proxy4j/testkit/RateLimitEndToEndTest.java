package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rate limits through a real proxy, over HTTP/1.1 and HTTP/2: each test has a proxy (and limits) of its own. */
class RateLimitEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    /** One request a minute, so that nothing refills while a test runs: the counts are exact. */
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.of(b -> b
            .filter(RateLimit.builder().rate("1r/m").burst(9).nodelay().name("server").build())
            .route(r -> r.pathPrefix("/burst").filter(RateLimit.builder().rate("1r/m").burst(4).nodelay().build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/keyed")
                    .filter(RateLimit.builder().rate("1r/m").burst(1).nodelay().key(RateLimitKey.header("X-Api-Key")).build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/delayed").filter(RateLimit.builder().rate("10r/s").burst(5).build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/dry").filter(RateLimit.builder().rate("1r/m").dryRun(true).build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static List<Integer> statuses(ProxyClient client, int requests, String path, String... headers) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(client.get(path, headers).status());
        }
        return statuses;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBurstGets429sForExactlyTheRequestsBeyondOnePlusBurstWithRetryAfter(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        assertThat(statuses(client, 5, "/burst/x")).containsOnly(200);
        ProxyClient.Response rejected = client.get("/burst/x");
        assertThat(statuses(client, 4, "/burst/x")).containsOnly(429);

        assertThat(rejected.status()).isEqualTo(429);
        assertThat(rejected.header("Retry-After")).as("about a minute, in whole seconds")
                .matches(s -> Integer.parseInt(s) > 50 && Integer.parseInt(s) <= 60, "within (50, 60]");
        assertThat(rejected.header("RateLimit-Policy")).isEqualTo("\"ip-1r/m\";q=1;w=60");
        assertThat(rejected.header("RateLimit")).startsWith("\"ip-1r/m\";r=0;t=");
        assertThat(rejected.body()).isEqualTo("429 Too Many Requests\n");
        assertThat(backend.receivedRequests()).hasSize(5);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void limitsByHeaderKeyAreIndependentAndARequestWithoutTheHeaderIsNotCounted(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        assertThat(statuses(client, 3, "/keyed/a", "X-Api-Key", "alpha")).containsExactly(200, 200, 429);
        assertThat(statuses(client, 3, "/keyed/b", "X-Api-Key", "beta")).containsExactly(200, 200, 429);
        assertThat(statuses(client, 3, "/keyed/none")).as("no key, not counted here").containsOnly(200);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aServerWideLimitCountsTheRequestsOfEveryRoute(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        assertThat(statuses(client, 6, "/other")).containsOnly(200);
        assertThat(statuses(client, 4, "/keyed/none")).containsOnly(200);
        assertThat(statuses(client, 2, "/other")).as("1 + 9 used up by this client").containsOnly(429);
        assertThat(backend.receivedRequests()).hasSize(10);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void withoutNodelayTheBurstIsDelayedToTheRateNotRejected(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);
        long start = System.nanoTime();

        List<CompletableFuture<Integer>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(CompletableFuture.supplyAsync(() -> client.get("/delayed/x").status(), pool));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> response : responses) {
            statuses.add(response.get(20, TimeUnit.SECONDS));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(statuses).containsOnly(200);
        // The sixth waits five intervals of 100 ms: a lower bound only (a slow machine takes longer).
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(450);
        assertThat(backend.receivedRequests()).hasSize(6);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aDryRunLetsEverythingThrough(Protocol protocol) {
        assertThat(statuses(protocol.client(proxy), 4, "/dry/x")).containsOnly(200);
    }
}
