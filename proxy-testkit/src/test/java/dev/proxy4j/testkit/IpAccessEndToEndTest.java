package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.forward.IpAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IP allow/deny through a real proxy: server-wide before routing, per route, on the client after trusted proxies. */
class IpAccessEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    /** Loopback is allowed only to /open; the rest of the proxy denies it. */
    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/open").upstream(backend.uri()))
            .route(r -> r.pathPrefix("/office")
                    .filter(IpAccess.builder().allow("10.1.0.0/16").deny("all").build())
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").filter(IpAccess.builder().deny("127.0.0.0/8").build()).upstream(backend.uri())));

    /** Behind a trusted load balancer, the rule sees the client it names. */
    @RegisterExtension
    static ProxyExtension behindBalancer = ProxyExtension.of(b -> b
            .forwarding(f -> f.trustedProxies("127.0.0.1/32"))
            .filter(IpAccess.builder().deny("203.0.113.0/24").build())
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aDeniedClientGets403AndTheBackendSeesNothing(Protocol protocol) {
        assertThat(protocol.client(proxy).get("/private").status()).isEqualTo(403);
        assertThat(protocol.client(proxy).get("/office/x").status()).as("not in 10.1.0.0/16").isEqualTo(403);
        assertThat(backend.receivedRequests()).isEmpty();
        assertThat(protocol.client(proxy).get("/open/x").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theRuleJudgesTheClientATrustedProxyNames(Protocol protocol) {
        assertThat(protocol.client(behindBalancer).get("/x", "X-Forwarded-For", "203.0.113.9").status()).isEqualTo(403);
        assertThat(protocol.client(behindBalancer).get("/x", "X-Forwarded-For", "198.51.100.1").status()).isEqualTo(200);
        assertThat(protocol.client(behindBalancer).get("/x").status()).as("the balancer itself").isEqualTo(200);
    }
}
