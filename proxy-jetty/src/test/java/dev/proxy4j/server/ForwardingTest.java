package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.HostHeader;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Routing, rewriting and the forwarding headers, through a real proxy to real backends, over HTTP/1.1 and HTTP/2. */
class ForwardingTest {

    private TestBackend products;
    private TestBackend fallback;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        products = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Connection", "X-Backend-Hop");
                response.getHeaders().put("X-Backend-Hop", "secret");
                response.getHeaders().put("Keep-Alive", "timeout=5");
                response.getHeaders().put("X-Kept", "yes");
                TestBackend.Content.write(response, "products", callback);
                return true;
            }
        });
        fallback = TestBackend.answering("fallback");
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.host("api.example.com").pathPrefix("/products")
                        .rewritePrefix("/products", "/api/v1/items")
                        .upstream(products.uri()))
                .route(r -> r.pathPrefix("/upstream-host").hostHeader(HostHeader.UPSTREAM).upstream(fallback.uri()))
                .route(r -> r.pathPrefix("/app").upstream(fallback.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        products.close();
        fallback.close();
    }

    private ContentResponse get(HttpClient client, String host, String pathQuery, String... headers) throws Exception {
        var request = client.newRequest("http://" + host + pathQuery).timeout(10, TimeUnit.SECONDS);
        request.headers(h -> {
            for (int i = 0; i < headers.length; i += 2) {
                h.add(headers[i], headers[i + 1]);
            }
        });
        return request.send();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void routesByHostAndPrefixAndRewritesThePathKeepingTheQuery(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            ContentResponse response = get(client, "api.example.com", "/products/42?color=red&size=L");

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("products");
            TestBackend.Seen seen = products.take();
            assertThat(seen.pathQuery()).isEqualTo("/api/v1/items/42?color=red&size=L");
            // The Host (HTTP/1.1) or :authority (HTTP/2) the client sent; Jetty's HTTP/2 client names the port.
            assertThat(seen.header("Host"))
                    .isEqualTo(protocol == Clients.HTTP_1_1 ? "api.example.com" : "api.example.com:80");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void answers404WhenNoRouteMatchesAndNoBackendIsCalled(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            ContentResponse response = get(client, "other.example.com", "/products/42");

            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getContentAsString()).isEqualTo("404 Not Found\n");
            assertThat(products.received() + fallback.received()).isZero();
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void addsForwardingHeadersAndReplacesThoseOfAnUntrustedClient(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            get(client, "shop.example.com:8443", "/app/x",
                    "X-Forwarded-For", "6.6.6.6",
                    "X-Forwarded-Proto", "https",
                    "Forwarded", "for=6.6.6.6",
                    "X-Real-IP", "6.6.6.6",
                    "User-Agent", "curl/8.0");

            TestBackend.Seen seen = fallback.take();
            assertThat(seen.all("X-Forwarded-For")).containsExactly("127.0.0.1");
            assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
            assertThat(seen.header("X-Forwarded-Host")).isEqualTo("shop.example.com:8443");
            assertThat(seen.header("X-Forwarded-Port")).isEqualTo("8443");
            assertThat(seen.header("Forwarded")).isNull();
            assertThat(seen.header("X-Real-IP")).isNull();
            assertThat(seen.header("Via")).isEqualTo(protocol == Clients.HTTP_1_1 ? "1.1 proxy4j" : "2 proxy4j");
            assertThat(seen.all("User-Agent")).containsExactly("curl/8.0");
            assertThat(seen.header("X-Request-Id")).matches("[0-9a-f]{32}");
            assertThat(seen.header("Host")).isEqualTo("shop.example.com:8443");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void keepsTheClientsRequestIdAndEchoesItInTheResponse(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            ContentResponse response = get(client, "a.example.com", "/app/x", "X-Request-Id", "abc-123");

            assertThat(fallback.take().header("X-Request-Id")).isEqualTo("abc-123");
            assertThat(response.getHeaders().get("X-Request-Id")).isEqualTo("abc-123");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void generatesADifferentRequestIdForEveryRequest(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            String first = get(client, "a.example.com", "/app/1").getHeaders().get("X-Request-Id");
            String second = get(client, "a.example.com", "/app/2").getHeaders().get("X-Request-Id");

            assertThat(first).matches("[0-9a-f]{32}");
            assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void stripsHopByHopHeadersBothWaysIncludingThoseNamedInConnection(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            ContentResponse response = protocol == Clients.HTTP_1_1
                    ? get(client, "api.example.com", "/products/1",
                            "Connection", "X-Client-Hop", "X-Client-Hop", "secret", "Proxy-Authorization", "Basic x")
                    : get(client, "api.example.com", "/products/1", "Proxy-Authorization", "Basic x");

            TestBackend.Seen seen = products.take();
            assertThat(seen.header("X-Client-Hop")).isNull();
            assertThat(seen.header("Proxy-Authorization")).isNull();
            assertThat(response.getHeaders().get("X-Backend-Hop")).isNull();
            assertThat(response.getHeaders().get("Keep-Alive")).isNull();
            assertThat(response.getHeaders().get("X-Kept")).isEqualTo("yes");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void setsTheUpstreamsAuthorityAsHostWhenTheRouteSaysSo(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            get(client, "public.example.com", "/upstream-host/x");

            assertThat(fallback.take().header("Host")).isEqualTo("127.0.0.1:" + fallback.port());
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void sendsNoServerHeaderOfItsOwn(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            ContentResponse response = get(client, "x.example.com", "/nowhere");

            assertThat(response.getHeaders().get("Server")).isNull();
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void passesAcceptEncodingAndTheEncodedBodyThroughUnchanged(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            get(client, "a.example.com", "/app/x", "Accept-Encoding", "br");

            assertThat(fallback.take().all("Accept-Encoding")).containsExactly("br");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void addsNoAcceptEncodingOfItsOwn(Clients protocol) throws Exception {
        HttpClient client = protocol.startConnectingTo(proxy.port());
        try {
            get(client, "a.example.com", "/app/x");

            assertThat(fallback.take().all("Accept-Encoding")).isEmpty();
        } finally {
            client.stop();
        }
    }
}
