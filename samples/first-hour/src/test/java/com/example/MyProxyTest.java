package com.example;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static dev.proxy4j.testkit.ProxyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.testkit.FakeBackend;
import dev.proxy4j.testkit.ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MyProxyTest {

    @RegisterExtension static FakeBackend backend = FakeBackend.create();
    @RegisterExtension static ProxyExtension proxy =
            ProxyExtension.of(b -> MyProxy.routes(b, backend.uri().toString()));

    @Test
    void rewritesApiToV1() {
        backend.stubFor(get("/v1/orders/1").willReturn(ok("{\"id\":1}")));

        var response = proxy.client().get("/api/orders/1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":1}");
        assertThat(backend.takeRequest()).hasHeader("X-Forwarded-For", "127.0.0.1");
    }

    @Test
    void otherPathsAreNotFound() {
        assertThat(proxy.client().get("/other").status()).isEqualTo(404);
    }
}
