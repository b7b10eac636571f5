package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trusted proxies, header rules, filters, HTTP/2 backends and timeouts, end to end over HTTP/1.1 and HTTP/2. */
class PoliciesEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    static FakeBackend http2Backend = FakeBackend.create(options -> options.http2PlainDisabled(false));

    @RegisterExtension
    static ProxyExtension trusting = ProxyExtension.of(b -> b
            .forwarding(f -> f.trustedProxies("127.0.0.1/32", "10.0.0.0/8").emit(EnumSet.allOf(ForwardedHeader.class)))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/rules")
                    .headers(h -> h.setRequestHeader("X-Env", "test").removeRequestHeader("X-Secret")
                            .hideResponseHeaders("Server", "X-Powered-By").stripResponseCookies()
                            .addResponseHeader("X-Frame-Options", "DENY"))
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/filtered")
                    .filter((ctx, request, next) -> request.headers().contains("X-Let-Me-In")
                            ? next.proceed(request)
                            : CompletableFuture.completedFuture(ProxyResponse.text(403, "no\n")))
                    .upstream(backend.uri()))
            .route(r -> r.pathPrefix("/broken").filter((ctx, request, next) -> null).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/h2").upstream(u -> u.endpoint(http2Backend.uri().toString())
                    .protocol(UpstreamProtocol.HTTP_2)))
            .route(r -> r.pathPrefix("/idle").idleTimeout(Duration.ofMillis(500)).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/total").totalTimeout(Duration.ofMillis(500)).upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")
                .withHeader("Server", "backend/1.2.3")
                .withHeader("X-Powered-By", "framework/4.5")
                .withHeader("Set-Cookie", "session=abc")));
        // WireMock sends the headers with the first chunk, 1.5 s in: later than the routes' timeouts.
        backend.stubFor(any(urlPathMatching("/(idle|total)/.*")).willReturn(ok("0123456789")
                .withChunkedDribbleDelay(2, 3000)));
        http2Backend.stubFor(any(anyUrl()).willReturn(ok("from h2")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void believesForwardingHeadersFromATrustedPeerAndAppendsToThem(Protocol protocol) {
        protocol.client(trusting).get("/x",
                "X-Forwarded-For", "203.0.113.7, 10.1.2.3",
                "X-Forwarded-Proto", "https",
                "Forwarded", "for=203.0.113.7;proto=https");

        RecordedRequest seen = backend.takeRequest();
        assertThat(seen).hasHeader("X-Forwarded-For", "203.0.113.7, 10.1.2.3, 127.0.0.1")
                .hasHeader("X-Forwarded-Proto", "https");
        assertThat(seen.header("Forwarded")).startsWith("for=203.0.113.7;proto=https, for=127.0.0.1;");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void appliesHeaderRulesBothWays(Protocol protocol) {
        var response = protocol.client(proxy).get("/rules/x", "X-Secret", "s3cr3t", "X-Env", "prod");

        RecordedRequest seen = backend.takeRequest();
        assertThat(seen.headerValues("X-Env")).containsExactly("test");
        assertThat(seen).doesNotHaveHeader("X-Secret");
        assertThat(response.header("Server")).isNull();
        assertThat(response.header("X-Powered-By")).isNull();
        assertThat(response.header("Set-Cookie")).isNull();
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void letsAFilterAnswerItselfWithoutCallingTheBackend(Protocol protocol) {
        var denied = protocol.client(proxy).get("/filtered/x");
        var allowed = protocol.client(proxy).get("/filtered/x", "X-Let-Me-In", "1");

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("no\n");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(backend.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers500WithoutDetailsWhenAFilterBreaksItsContract(Protocol protocol) {
        var response = protocol.client(proxy).get("/broken/x");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("500 Server Error\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void speaksHttp2ToABackendWhenTheUpstreamSaysSo(Protocol protocol) {
        var response = protocol.client(proxy).get("/h2/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from h2");
        RecordedRequest seen = http2Backend.takeRequest();
        assertThat(seen.protocol()).isEqualTo("HTTP/2.0");
        assertThat(seen).hasHeader("X-Forwarded-Host", "127.0.0.1:" + proxy.port());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers504WhenTheBackendIsSilentLongerThanTheIdleTimeoutBeforeItsHeaders(Protocol protocol) {
        var response = protocol.client(proxy).get("/idle/x");

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("504 Gateway Timeout\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void answers504WhenTheTotalTimeoutPassesBeforeTheHeaders(Protocol protocol) {
        var response = protocol.client(proxy).get("/total/x");

        assertThat(response.status()).isEqualTo(504);
    }
}
