package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Endpoints added, drained and swapped out while 4 clients send requests as fast as they can for
 * about 2 seconds: no request fails, and a drained endpoint gets nothing once its drain is done.
 * Retries are off, so that a failure could not be hidden by one.
 */
class LiveMembershipEndToEndTest {

    private static final int CLIENTS = 4;

    @RegisterExtension
    static FakeBackend a = FakeBackend.create();

    @RegisterExtension
    static FakeBackend b = FakeBackend.create();

    @RegisterExtension
    static FakeBackend c = FakeBackend.create();

    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(p -> p.accessLog(false).route(r -> r.pathPrefix("/")
            .upstream(api(a, b))));

    private static Upstream api(FakeBackend... backends) {
        Upstream.Builder builder = Upstream.builder().name("api").retryPolicy(dev.proxy4j.upstream.RetryPolicy.none());
        for (FakeBackend backend : backends) {
            builder.endpoint(backend.uri().toString());
        }
        return builder.build();
    }

    @BeforeEach
    void stub() {
        for (FakeBackend backend : List.of(a, b, c)) {
            backend.stubFor(any(anyUrl()).willReturn(ok("from " + backend.port())));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void addsAndDrainsEndpointsUnderLoadWithNoFailedRequest(Protocol protocol) throws Exception {
        Upstream api = proxy.server().upstream("api").orElseThrow();
        ProxyClient client = protocol.client(proxy);
        try (Load load = new Load(CLIENTS, (thread, sent) -> client.get("/load/" + thread))) {
            load.await(50);

            api.group().add(Endpoint.of(c.uri().toString()));
            load.await(load.sent() + 50);
            int cAfterAdd = c.requestCount();

            api.group().drain(Endpoint.of(a.uri().toString())).toCompletableFuture().get(10, TimeUnit.SECONDS);
            int aAtDrain = a.requestCount();
            load.await(load.sent() + 100);
            assertThat(a.requestCount()).as("requests to a drained endpoint").isEqualTo(aAtDrain);
            assertThat(api.endpoints()).extracting(Endpoint::port).containsExactly(b.port(), c.port());

            api.group().add(Endpoint.of(a.uri().toString()));
            api.group().drain(Endpoint.of(b.uri().toString())).toCompletableFuture().get(10, TimeUnit.SECONDS);
            int bAtDrain = b.requestCount();
            load.await(load.sent() + 100);
            assertThat(b.requestCount()).isEqualTo(bAtDrain);
            assertThat(a.requestCount()).as("a, added back, takes requests again").isGreaterThan(aAtDrain);
            assertThat(c.requestCount()).isGreaterThan(cAfterAdd);

            load.runFor(Duration.ofMillis(500));
            load.stop();
            assertThat(load.failures()).as("failed requests").isEmpty();
            assertThat(load.sent()).isEqualTo(a.requestCount() + b.requestCount() + c.requestCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void reconfigureSwapsAnEndpointOutUnderLoadWithNoFailedRequest(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);
        try (Load load = new Load(CLIENTS, (thread, sent) -> client.get("/load/" + thread))) {
            load.await(50);

            proxy.server().reconfigure(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0)).accessLog(false)
                    .route(r -> r.pathPrefix("/").upstream(api(b, c))).build());
            // Requests that began on the old configuration finish there; give them a moment.
            load.runFor(Duration.ofMillis(300));
            int aAfter = a.requestCount();
            load.await(load.sent() + 100);

            assertThat(a.requestCount()).as("requests to the endpoint swapped out").isEqualTo(aAfter);
            assertThat(c.requestCount()).isPositive();
            load.runFor(Duration.ofMillis(500));
            load.stop();
            assertThat(load.failures()).as("failed requests").isEmpty();
        }
    }
}
