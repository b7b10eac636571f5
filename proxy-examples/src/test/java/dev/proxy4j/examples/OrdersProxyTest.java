package dev.proxy4j.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.testkit.FakeBackend;
import dev.proxy4j.testkit.ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's test of a proxy in front of an orders service, written with the testkit only. */
class OrdersProxyTest {

    @RegisterExtension
    static FakeBackend orders = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/api/orders").rewritePrefix("/api/orders", "/orders")
                    .headers(h -> h.hideResponseHeaders("X-Powered-By"))
                    .upstream(orders.uri())));

    @Test
    void forwardsClientIp() {
        orders.stubFor(get("/orders/1").willReturn(ok("{}")));

        var response = proxy.client().get("/api/orders/1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(orders.takeRequest()).hasPath("/orders/1").hasHeader("X-Forwarded-For", "127.0.0.1");
    }

    @Test
    void hidesWhatTheBackendIsBuiltWith() {
        orders.stubFor(get("/orders/2").willReturn(ok("{}").withHeader("X-Powered-By", "orders-service/1.0")));

        var response = proxy.http2Client().get("/api/orders/2");

        assertThat(response.header("X-Powered-By")).isNull();
    }

    @Test
    void passesTheBackendsErrorsThroughAsTheyAre() {
        orders.stubFor(post("/orders").willReturn(serviceUnavailable()));

        var response = proxy.client().post("/api/orders", "{\"item\":42}", "Content-Type", "application/json");

        assertThat(response.status()).isEqualTo(503);
        assertThat(orders.takeRequest()).hasMethod("POST").hasBody("{\"item\":42}");
    }

    @Test
    void answers502WhenTheBackendIsDown() {
        orders.stop();
        try {
            var response = proxy.client().get("/api/orders/3");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("502 Bad Gateway\n").doesNotContain(Integer.toString(orders.port()));
        } finally {
            orders.start();
        }
    }
}
