package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.SecurityHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The security-header preset, server-wide: on the backend's answers and on the proxy's own. */
class SecurityHeadersEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .filter(SecurityHeaders.preset().build())
            .route(r -> r.pathPrefix("/app").upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("page").withHeader("X-Frame-Options", "DENY")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theBackendsAnswersGetWhatTheyLackAndKeepWhatTheySet(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).get("/app/x");

        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Strict-Transport-Security")).as("plain HTTP: no HSTS").isNull();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void theProxysOwnAnswersGetThemToo(Protocol protocol) {
        ProxyClient.Response response = protocol.client(proxy).get("/nowhere");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
    }
}
