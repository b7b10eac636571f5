package dev.proxy4j.micrometer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.proxy4j.micrometer.Scrapes.sample;
import static dev.proxy4j.micrometer.Scrapes.total;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.testkit.FakeBackend;
import dev.proxy4j.upstream.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters beyond requests, after known traffic: backend connect times, cache results,
 * rejections by reason (a rate limit, an IP rule, a refusal at the door), retries and a retry
 * budget that refuses. Each count exact.
 */
class MoreMetersEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProxyServer proxy;

    @BeforeEach
    void start() {
        backend.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Cache-Control", "max-age=60").withBody("hello")));
        RetryPolicy noBudget = RetryPolicy.builder().budgetPercent(0).minRetryConcurrency(0).build();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .metrics(MicrometerMetrics.prometheus())
                .cache(HttpCache.inMemory(1 << 20))
                .route(r -> r.name("cached").pathPrefix("/cached")
                        .upstream(u -> u.name("app").endpoint(backend.uri().toString())))
                .route(r -> r.name("limited").pathPrefix("/limited").cache(false)
                        .filter(RateLimit.parse("1r/m,nodelay,key=global").build())
                        .upstream(u -> u.name("app").endpoint(backend.uri().toString())))
                .route(r -> r.name("denied").pathPrefix("/denied").cache(false)
                        .filter(IpAccess.builder().deny("all").build())
                        .upstream(u -> u.name("app").endpoint(backend.uri().toString())))
                .route(r -> r.name("dead").pathPrefix("/dead").cache(false)
                        .upstream(u -> u.name("dead").endpoint("http://127.0.0.1:1")))
                .route(r -> r.name("nobudget").pathPrefix("/nobudget").cache(false)
                        .upstream(u -> u.name("nobudget").endpoint("http://127.0.0.1:1").retryPolicy(noBudget)))
                .build().start();
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    @Test
    void countsConnectsCacheResultsRejectionsAndRetries() throws Exception {
        assertThat(get("/cached/a")).isEqualTo(200);
        assertThat(get("/cached/a")).isEqualTo(200);
        assertThat(get("/cached/a")).isEqualTo(200);
        assertThat(get("/limited/x")).isEqualTo(200);
        assertThat(get("/limited/x")).isEqualTo(429);
        assertThat(get("/limited/x")).isEqualTo(429);
        assertThat(get("/denied/x")).isEqualTo(403);
        assertThat(get("/cached/a%2Fb")).isEqualTo(400);
        assertThat(get("/dead/x")).isEqualTo(502);
        assertThat(get("/nobudget/x")).isEqualTo(502);

        String text = scrapeUntil("http_server_requests_seconds_count", 10);
        assertThat(sample(text, "proxy_cache_requests_total", "result=\"miss\",route=\"cached\"")).isEqualTo(1);
        assertThat(sample(text, "proxy_cache_requests_total", "result=\"hit\",route=\"cached\"")).isEqualTo(2);
        assertThat(total(text, "proxy_cache_requests_total")).as("only routes with the cache").isEqualTo(3);

        assertThat(sample(text, "proxy_requests_rejected_total", "reason=\"rate_limited\",route=\"limited\""))
                .isEqualTo(2);
        assertThat(sample(text, "proxy_requests_rejected_total", "reason=\"access_denied\",route=\"denied\""))
                .isEqualTo(1);
        assertThat(sample(text, "proxy_requests_rejected_total", "reason=\"escaped_slash\",route=\"none\""))
                .isEqualTo(1);
        assertThat(total(text, "proxy_requests_rejected_total")).isEqualTo(4);

        int attempts = RetryPolicy.defaults().maxAttempts();
        assertThat(sample(text, "proxy_upstream_retries_total", "upstream=\"dead\"")).isEqualTo(attempts - 1);
        assertThat(sample(text, "proxy_upstream_retries_total", "upstream=\"nobudget\"")).isEqualTo(-1);
        assertThat(sample(text, "proxy_upstream_retry_budget_exhausted_total", "upstream=\"nobudget\"")).isEqualTo(1);
        assertThat(sample(text, "proxy_upstream_retry_budget_exhausted_total", "upstream=\"dead\"")).isEqualTo(-1);

        String endpoint = "127.0.0.1:" + backend.uri().getPort();
        double connects = sample(text, "http_client_connect_seconds_count",
                "endpoint=\"" + endpoint + "\",result=\"connected\",upstream=\"app\"");
        // Kept alive: at least one connection for the 5 requests that reached the backend, at most one each.
        assertThat(connects).isBetween(1.0, 5.0);
        assertThat(sample(text, "http_client_connect_seconds_count",
                "endpoint=\"127.0.0.1:1\",result=\"failed\",upstream=\"dead\"")).isEqualTo(attempts);
        assertThat(sample(text, "http_client_connect_seconds_count",
                "endpoint=\"127.0.0.1:1\",result=\"failed\",upstream=\"nobudget\"")).isEqualTo(1);
    }

    private int get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The scrape once every request is counted (an exchange is counted when it ends, after its answer): 20 s at most. */
    private String scrapeUntil(String name, int requests) throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + proxy.adminPort() + "/metrics");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String text;
        do {
            text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (total(text, name) >= requests) {
                return text;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return text;
    }
}
