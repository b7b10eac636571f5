package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Safe retries through a real proxy, counting what each backend received: {@code failing} is always
 * tried first, {@code healthy} next; {@code single} is the only endpoint of its route.
 */
class RetriesEndToEndTest {

    /** The first selectable endpoint not tried yet, in the order they were added: the failing one first. */
    private static final LoadBalancer FAILING_FIRST = group -> (ctx, request, excluded) ->
            group.snapshot().selectable().stream()
                    .filter(state -> !excluded.contains(state.endpoint()))
                    .findFirst().orElse(null);

    @RegisterExtension
    static FakeBackend failing = FakeBackend.create();

    @RegisterExtension
    static FakeBackend healthy = FakeBackend.create();

    @RegisterExtension
    static FakeBackend single = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/pair").upstream(u -> u.endpoint(failing.uri().toString())
                    .endpoint(healthy.uri().toString()).loadBalancer(FAILING_FIRST)))
            .route(r -> r.pathPrefix("/small-replay").upstream(u -> u.endpoint(failing.uri().toString())
                    .endpoint(healthy.uri().toString()).loadBalancer(FAILING_FIRST)
                    .retryPolicy(RetryPolicy.builder().maxReplayBodyBytes(1024).build())))
            .route(r -> r.pathPrefix("/per-try").upstream(u -> u.endpoint(failing.uri().toString())
                    .endpoint(healthy.uri().toString()).loadBalancer(FAILING_FIRST)
                    .retryPolicy(RetryPolicy.builder().perTryTimeout(Duration.ofMillis(300)).build())))
            .route(r -> r.pathPrefix("/no-retries").upstream(u -> u.endpoint(failing.uri().toString())
                    .endpoint(healthy.uri().toString()).loadBalancer(FAILING_FIRST)
                    .retryPolicy(RetryPolicy.ofRetries(0))))
            .route(r -> r.pathPrefix("/single").upstream(single.uri())));

    @BeforeEach
    void stub() {
        failing.stubFor(any(anyUrl()).willReturn(ok("from failing")));
        healthy.stubFor(any(anyUrl()).willReturn(ok("from healthy")));
        single.stubFor(any(anyUrl()).willReturn(ok("from single")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void retriesAGetOnAnotherEndpointWhenTheFirstResetsTheConnection(Protocol protocol) {
        failing.faults().resetBeforeHeaders();

        var response = protocol.client(proxy).get("/pair/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from healthy");
        assertThat(failing.requestCount()).isEqualTo(1);
        assertThat(healthy.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void doesNotRetryAPostTheBackendMayHaveActedOn(Protocol protocol) {
        failing.faults().resetBeforeHeaders();

        var response = protocol.client(proxy).post("/pair/x", "order");

        assertThat(response.status()).isEqualTo(502);
        assertThat(failing.requestCount()).isEqualTo(1);
        assertThat(healthy.requestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void retriesAGetOn503ButPassesOnA503ToAPost(Protocol protocol) {
        failing.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThat(protocol.client(proxy).get("/pair/x").body()).isEqualTo("from healthy");
        var post = protocol.client(proxy).post("/pair/x", "order");

        assertThat(post.status()).isEqualTo(503);
        assertThat(post.body()).isEqualTo("busy");
        assertThat(failing.requestCount()).isEqualTo(2);
        assertThat(healthy.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sendsAReplayedBodyWholeToTheNextEndpointAfterTheFirstReadItAndReset(Protocol protocol) {
        failing.faults().resetBeforeHeaders();
        String body = "0123456789".repeat(500);

        var response = protocol.client(proxy).send("PUT", "/pair/doc", body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(failing.takeRequest()).hasMethod("PUT").hasBody(body);
        assertThat(healthy.takeRequest()).hasMethod("PUT").hasBody(body);
        assertThat(healthy.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void doesNotRetryABodyLargerThanTheReplayLimitOnceItWasSent(Protocol protocol) {
        failing.faults().resetBeforeHeaders();

        var small = protocol.client(proxy).send("PUT", "/small-replay/doc", "x".repeat(1024));
        var large = protocol.client(proxy).send("PUT", "/small-replay/doc", "x".repeat(1025));

        assertThat(small.status()).isEqualTo(200);
        assertThat(large.status()).isEqualTo(502);
        assertThat(failing.requestCount()).isEqualTo(2);
        assertThat(healthy.requestCount()).isEqualTo(1);
        assertThat(healthy.takeRequest()).hasBody("x".repeat(1024));
    }

    @Test
    void replaysAChunkedBodyWithinTheLimitAndNotOneThatGrowsPastIt() {
        failing.faults().resetBeforeHeaders();

        String within = TestClient.raw(proxy.uri(), chunkedPut("/small-replay/a", 2, 500));
        String past = TestClient.raw(proxy.uri(), chunkedPut("/small-replay/b", 3, 500));

        assertThat(within).startsWith("HTTP/1.1 200 ");
        assertThat(past).startsWith("HTTP/1.1 502 ");
        assertThat(healthy.requestCount()).isEqualTo(1);
        assertThat(healthy.takeRequest()).hasPath("/small-replay/a").hasBody("y".repeat(1000));
        assertThat(failing.requestCount()).isEqualTo(2);
    }

    /**
     * A response whose body breaks after its headers came is never retried, whether or not some of
     * it reached the client yet (here the break comes at the body's first chunk: the client gets a
     * 502 or a cut-off response, never the other endpoint's answer).
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void neverRetriesOnceTheResponseHeadersHaveArrived(Protocol protocol) {
        failing.faults().closeMidBody();

        Throwable cut = catchThrowable(() -> {
            var response = protocol.client(proxy).get("/pair/x");
            assertThat(response.status()).isEqualTo(502);
        });

        if (cut != null) {
            assertThat(cut).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        }
        assertThat(failing.requestCount()).isEqualTo(1);
        assertThat(healthy.requestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void triesTheNextEndpointWhenTheFirstTakesLongerThanThePerTryTimeout(Protocol protocol) {
        failing.faults().delayBeforeHeaders(Duration.ofSeconds(3));

        var response = protocol.client(proxy).get("/per-try/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from healthy");
        assertThat(failing.requestCount()).isEqualTo(1);
        assertThat(healthy.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void waitsTheRetryAfterOfA503AndTriesTheOnlyEndpointAgain(Protocol protocol) {
        single.stubFor(any(anyUrl()).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1").withBody("busy"))
                .willSetStateTo("ready"));
        single.stubFor(any(anyUrl()).inScenario("busy").whenScenarioStateIs("ready").willReturn(ok("ready")));

        long start = System.nanoTime();
        var response = protocol.client(proxy).get("/single/x");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ready");
        assertThat(single.requestCount()).isEqualTo(2);
        assertThat(tookMillis).as("waited the second Retry-After asked for").isGreaterThanOrEqualTo(950);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void passesOnA503WhoseRetryAfterIsLongerThanTheCap(Protocol protocol) {
        single.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "120")
                .withBody("down for maintenance")));

        var response = protocol.client(proxy).get("/single/x");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("120");
        assertThat(response.body()).isEqualTo("down for maintenance");
        assertThat(single.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void triesTheOnlyEndpointThreeTimesInAllThenAnswersItsLast503(Protocol protocol) {
        single.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("still busy")));

        var response = protocol.client(proxy).get("/single/x");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("still busy");
        assertThat(single.requestCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void makesOneAttemptWithNoRetries(Protocol protocol) {
        failing.faults().resetBeforeHeaders();

        assertThat(protocol.client(proxy).get("/no-retries/x").status()).isEqualTo(502);
        assertThat(failing.requestCount()).isEqualTo(1);
        assertThat(healthy.requestCount()).isZero();
    }

    private static String chunkedPut(String path, int chunks, int size) {
        StringBuilder message = new StringBuilder("PUT " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < chunks; i++) {
            message.append(Integer.toHexString(size)).append("\r\n").append("y".repeat(size)).append("\r\n");
        }
        return message.append("0\r\n\r\n").toString();
    }

}
