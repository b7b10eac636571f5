package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TRACE is refused unless allowed; HTTP/2 without TLS by prior knowledge only unless the upgrade is allowed. */
class MethodsAndUpgradesTest {

    private static final String H2C_UPGRADE = "GET /x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void startBackend() throws Exception {
        backend = TestBackend.answering("ok");
    }

    private void startProxy(Consumer<ProxyServer.Builder> settings) {
        ProxyServer.Builder builder = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()));
        settings.accept(builder);
        proxy = builder.build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void refusesTraceWith405BeforeAnyBackend(Clients protocol) throws Exception {
        startProxy(b -> { });
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).method("TRACE").path("/x")
                    .headers(h -> h.add("Cookie", "session=secret")).timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(405);
            assertThat(response.getContentAsString()).isEqualTo("405 Method Not Allowed\nmethod not allowed\n");
            // RFC 9110 15.5.6: a 405 says what is allowed
            assertThat(response.getHeaders().get("Allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            assertThat(backend.received()).isZero();
        } finally {
            client.stop();
        }
    }

    @Test
    void forwardsTraceWhenAllowed() throws Exception {
        startProxy(b -> b.allowTrace(true));

        String response = RawHttp.exchange(proxy.port(), "TRACE /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ");
        assertThat(backend.take().method()).isEqualTo("TRACE");
    }

    @Test
    void servesAnH2cUpgradeRequestAsHttp11ByDefault() throws Exception {
        startProxy(b -> { });

        String response = RawHttp.exchange(proxy.port(), H2C_UPGRADE);

        // a random X-Request-Id may hold the digits 101: look for a 101 status line, not the digits
        assertThat(response).startsWith("HTTP/1.1 200 ").doesNotContain("HTTP/1.1 101");
        TestBackend.Seen seen = backend.take();
        assertThat(seen.header("Upgrade")).isNull();
        assertThat(seen.header("HTTP2-Settings")).isNull();
    }

    @Test
    void switchesToH2cOnUpgradeWhenAllowed() throws Exception {
        startProxy(b -> b.h2cUpgrade(true));

        String response = RawHttp.exchange(proxy.port(), H2C_UPGRADE);

        assertThat(response).startsWith("HTTP/1.1 101 ");
    }

    @Test
    void stillServesH2cByPriorKnowledge() throws Exception {
        startProxy(b -> { });
        HttpClient client = Clients.HTTP_2.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getVersion().asString()).isEqualTo("HTTP/2.0");
        } finally {
            client.stop();
        }
    }
}
