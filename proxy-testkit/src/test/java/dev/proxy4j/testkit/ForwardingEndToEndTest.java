package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.route.HostHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Routing, rewriting and the forwarding headers, through a real proxy to fake backends, over HTTP/1.1 and HTTP/2. */
class ForwardingEndToEndTest {

    @RegisterExtension
    static FakeBackend products = FakeBackend.create();

    @RegisterExtension
    static FakeBackend fallback = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.host("api.example.com").pathPrefix("/products")
                    .rewritePrefix("/products", "/api/v1/items")
                    .upstream(products.uri()))
            .route(r -> r.pathPrefix("/upstream-host").hostHeader(HostHeader.UPSTREAM).upstream(fallback.uri()))
            .route(r -> r.pathPrefix("/app").upstream(fallback.uri())));

    @BeforeEach
    void stub() {
        products.stubFor(any(anyUrl()).willReturn(ok("products")));
        fallback.stubFor(any(anyUrl()).willReturn(ok("fallback")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void routesByHostAndPrefixAndRewritesThePathKeepingTheQuery(Protocol protocol) {
        var response = protocol.client(proxy).get("http://api.example.com/products/42?color=red&size=L");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("products");
        RecordedRequest seen = products.takeRequest();
        assertThat(seen).hasPath("/api/v1/items/42").hasQuery("color=red&size=L");
        // The Host (HTTP/1.1) or :authority (HTTP/2) the client sent; Jetty's HTTP/2 client names the port.
        assertThat(seen).hasHeader("Host", protocol == Protocol.HTTP_1_1 ? "api.example.com" : "api.example.com:80");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers404WhenNoRouteMatchesAndNoBackendIsCalled(Protocol protocol) {
        var response = protocol.client(proxy).get("http://other.example.com/products/42");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("404 Not Found\n");
        assertThat(products.requestCount() + fallback.requestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void addsForwardingHeadersAndReplacesThoseOfAnUntrustedClient(Protocol protocol) {
        protocol.client(proxy).get("http://shop.example.com:8443/app/x",
                "X-Forwarded-For", "6.6.6.6",
                "X-Forwarded-Proto", "https",
                "Forwarded", "for=6.6.6.6",
                "X-Real-IP", "6.6.6.6",
                "User-Agent", "curl/8.0");

        RecordedRequest seen = fallback.takeRequest();
        assertThat(seen.headerValues("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(seen).hasHeader("X-Forwarded-Proto", "http")
                .hasHeader("X-Forwarded-Host", "shop.example.com:8443")
                .hasHeader("X-Forwarded-Port", "8443")
                .doesNotHaveHeader("Forwarded")
                .doesNotHaveHeader("X-Real-IP")
                .hasHeader("Via", protocol.via())
                .hasHeaderCount("User-Agent", 1)
                .hasHeader("User-Agent", "curl/8.0")
                .hasHeader("Host", "shop.example.com:8443");
        assertThat(seen.header("X-Request-Id")).matches("[0-9a-f]{32}");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void keepsTheClientsRequestIdAndEchoesItInTheResponse(Protocol protocol) {
        var response = protocol.client(proxy).get("/app/x", "X-Request-Id", "abc-123");

        assertThat(fallback.takeRequest()).hasHeader("X-Request-Id", "abc-123");
        assertThat(response.header("X-Request-Id")).isEqualTo("abc-123");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void generatesADifferentRequestIdForEveryRequest(Protocol protocol) {
        String first = protocol.client(proxy).get("/app/1").header("X-Request-Id");
        String second = protocol.client(proxy).get("/app/2").header("X-Request-Id");

        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void stripsHopByHopRequestHeadersIncludingThoseNamedInConnection(Protocol protocol) {
        if (protocol == Protocol.HTTP_1_1) {
            protocol.client(proxy).get("/app/x", "Connection", "X-Client-Hop", "X-Client-Hop", "secret",
                    "Proxy-Authorization", "Basic x");
        } else {
            protocol.client(proxy).get("/app/x", "Proxy-Authorization", "Basic x");
        }

        assertThat(fallback.takeRequest()).doesNotHaveHeader("X-Client-Hop").doesNotHaveHeader("Proxy-Authorization");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void setsTheUpstreamsAuthorityAsHostWhenTheRouteSaysSo(Protocol protocol) {
        protocol.client(proxy).get("http://public.example.com/upstream-host/x");

        assertThat(fallback.takeRequest()).hasHeader("Host", "127.0.0.1:" + fallback.port());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sendsNoServerHeaderOfItsOwn(Protocol protocol) {
        var response = protocol.client(proxy).get("/nowhere");

        assertThat(response.header("Server")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void passesAcceptEncodingThroughAndAddsNoneOfItsOwn(Protocol protocol) {
        protocol.client(proxy).get("/app/x", "Accept-Encoding", "br");
        protocol.client(proxy).get("/app/y");

        assertThat(fallback.takeRequest().headerValues("Accept-Encoding")).containsExactly("br");
        assertThat(fallback.takeRequest()).doesNotHaveHeader("Accept-Encoding");
    }
}
