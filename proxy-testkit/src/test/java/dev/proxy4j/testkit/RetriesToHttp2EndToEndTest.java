package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retries to an upstream spoken to over HTTP/2 (h2c), from HTTP/1.1 and HTTP/2 clients: a refused
 * endpoint and a 503 are retried on the next endpoint, over HTTP/2 again, with the body replayed;
 * a POST that got a 503 is not.
 */
class RetriesToHttp2EndToEndTest {

    /** The first selectable endpoint not tried yet, in the order they were added. */
    private static final LoadBalancer IN_ORDER = group -> (ctx, request, excluded) ->
            group.snapshot().selectable().stream()
                    .filter(state -> !excluded.contains(state.endpoint()))
                    .findFirst().orElse(null);

    @RegisterExtension
    static FakeBackend failing = FakeBackend.create(options -> options.http2PlainDisabled(false));

    @RegisterExtension
    static FakeBackend healthy = FakeBackend.create(options -> options.http2PlainDisabled(false));

    private static final int CLOSED_PORT = closedPort();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b.accessLog(false)
            .route(r -> r.pathPrefix("/refused").upstream(u -> u.name("refused-first")
                    .endpoint("http://127.0.0.1:" + CLOSED_PORT).endpoint(healthy.uri().toString())
                    .protocol(UpstreamProtocol.HTTP_2).loadBalancer(IN_ORDER)))
            .route(r -> r.pathPrefix("/").upstream(u -> u.name("failing-first")
                    .endpoint(failing.uri().toString()).endpoint(healthy.uri().toString())
                    .protocol(UpstreamProtocol.HTTP_2).loadBalancer(IN_ORDER))));

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void stub() {
        failing.stubFor(any(anyUrl()).willReturn(serviceUnavailable().withBody("failing")));
        healthy.stubFor(any(anyUrl()).willReturn(ok("healthy")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void retriesAGetThatGot503OnTheNextEndpointOverHttp2(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).get("/items/1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("healthy");
        assertThat(failing.takeRequest().protocol()).isEqualTo("HTTP/2.0");
        RecordedRequest retried = healthy.takeRequest();
        assertThat(retried.protocol()).isEqualTo("HTTP/2.0");
        assertThat(retried.path()).isEqualTo("/items/1");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sendsAPostTheRefusedEndpointNeverGotToTheNextWithItsBody(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).post("/refused/orders", "order 42");

        assertThat(response.status()).isEqualTo(200);
        RecordedRequest retried = healthy.takeRequest();
        assertThat(retried.protocol()).isEqualTo("HTTP/2.0");
        assertThat(retried.method()).isEqualTo("POST");
        assertThat(retried.bodyAsString()).isEqualTo("order 42");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void passesOnThe503OfAPostTheBackendMayHaveActedOn(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).post("/orders", "order 43");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("failing");
        assertThat(failing.takeRequest().bodyAsString()).isEqualTo("order 43");
        assertThat(healthy.requestCount()).isZero();
    }
}
