package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.forward.ForwardedHeader;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture as a user writes it: a fake backend, a proxy in front of it, real HTTP between them. */
class ProxyExtensionTest {

    @RegisterExtension
    static FakeBackend orders = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/orders").upstream(orders.uri()))
            .route(r -> r.pathPrefix("/quiet").upstream(orders.uri())));

    @RegisterExtension
    static ProxyExtension withoutForwarding = ProxyExtension.of(b -> b
            .forwarding(f -> f.emit(EnumSet.noneOf(ForwardedHeader.class)))
            .route(r -> r.pathPrefix("/").upstream(orders.uri())));

    @Test
    void forwardsClientIp() {
        orders.stubFor(get("/orders/1").willReturn(ok("{}")));

        var response = proxy.client().get("/orders/1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
        assertThat(orders.takeRequest()).hasHeader("X-Forwarded-For", "127.0.0.1");
    }

    @Test
    void servesHttp2ClientsToo() {
        orders.stubFor(get("/orders/2").willReturn(ok("two")));

        var response = proxy.http2Client().get("/orders/2");

        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(response.body()).isEqualTo("two");
        assertThat(orders.takeRequest()).hasPath("/orders/2").hasHeader("Via", "2 proxy4j");
    }

    @Test
    void answers404ForPathsNoRouteTakesAndTheBackendSeesNothing() {
        var response = proxy.client().get("/elsewhere");

        assertThat(response.status()).isEqualTo(404);
        assertThat(orders.requestCount()).isZero();
    }

    @Test
    void aMisbehavingProxyFailsWithAMessageThatShowsWhatTheBackendGot() {
        orders.stubFor(get("/orders/3").willReturn(ok("{}")));
        withoutForwarding.client().get("/orders/3");
        RecordedRequest received = orders.takeRequest();

        assertThatThrownBy(() -> assertThat(received).hasHeader("X-Forwarded-For", "127.0.0.1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("X-Forwarded-For")
                .hasMessageContaining("GET /orders/3");
    }

    @Test
    void startsTheProxyOnAFreeLoopbackPort() {
        assertThat(proxy.uri().toString()).startsWith("http://127.0.0.1:");
        assertThat(proxy.port()).isPositive().isNotEqualTo(withoutForwarding.port());
    }
}
