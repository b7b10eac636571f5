package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.BackendIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backend's Server and X-Powered-By: removed by default, passed on when asked, a filter's own sent. */
class BackendIdentityEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    final ProxyExtension hiding = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/branded").headers(h -> h.setResponseHeader("Server", "edge")).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @RegisterExtension
    final ProxyExtension passing = ProxyExtension.of(b -> b
            .backendIdentity(BackendIdentity.PASS)
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")
                .withHeader("Server", "backend/1.2.3")
                .withHeader("X-Powered-By", "framework/4.5")
                .withHeader("X-Other", "kept")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void hiddenByDefault(Protocol protocol) {
        ProxyClient.Response response = protocol.client(hiding).get("/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Server")).isNull();
        assertThat(response.header("X-Powered-By")).isNull();
        assertThat(response.header("X-Other")).isEqualTo("kept");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRouteFiltersOwnServerIsSent(Protocol protocol) {
        ProxyClient.Response response = protocol.client(hiding).get("/branded/x");

        assertThat(response.headers().getAll("Server")).containsExactly("edge");
        assertThat(response.header("X-Powered-By")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void passedOnWhenAsked(Protocol protocol) {
        ProxyClient.Response response = protocol.client(passing).get("/x");

        assertThat(response.header("Server")).isEqualTo("backend/1.2.3");
        assertThat(response.header("X-Powered-By")).isEqualTo("framework/4.5");
    }
}
