package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a filter learns from its {@link RequestContext} on a real exchange, over HTTP/1.1 and HTTP/2. */
class ContextEndToEndTest {

    private static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
    private static final AttributeKey<String> OTHER_TENANT = AttributeKey.of("tenant", String.class);

    @TempDir
    static Path dir;

    /** What a filter saw of its context. */
    private record Seen(String requestId, String peerAddress, String clientAddress, Optional<String> route,
            Map<String, String> pathVariables, Optional<TlsInfo> tls) {
        static Seen of(RequestContext ctx) {
            return new Seen(ctx.requestId(), ctx.peerAddress(), ctx.clientAddress(), ctx.route().map(Route::name),
                    ctx.pathVariables(), ctx.tls());
        }
    }

    private final AtomicReference<Seen> serverWide = new AtomicReference<>();
    private final AtomicReference<Seen> routed = new AtomicReference<>();
    private TestBackend backend;
    private ProxyServer proxy;
    private HttpClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private ProxyServer.Builder recordingProxy() throws Exception {
        backend = TestBackend.answering("ok");
        return ProxyServer.builder()
                .accessLog(false)
                .filter((ctx, request, next) -> {
                    serverWide.set(Seen.of(ctx));
                    return next.proceed(request);
                })
                .route(r -> r.name("orders").pathTemplate("/users/{id}/orders/{*rest}")
                        .filter((ctx, request, next) -> {
                            routed.set(Seen.of(ctx));
                            return next.proceed(request);
                        })
                        .upstream(backend.uri()));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aRouteFilterSeesTheClientsRequestIdItsAddressesAndTheRouteWithItsPathVariables(Clients protocol)
            throws Exception {
        proxy = recordingProxy().listen("127.0.0.1", 0)
                .forwarding(f -> f.trustedProxies("127.0.0.1/32"))
                .build().start();
        client = protocol.start();

        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/users/7/orders/a/b")
                .headers(h -> h.put("X-Request-Id", "rid-42").put("X-Forwarded-For", "203.0.113.7"))
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(routed.get()).isEqualTo(new Seen("rid-42", "127.0.0.1", "203.0.113.7", Optional.of("orders"),
                Map.of("id", "7", "rest", "/a/b"), Optional.empty()));
        assertThat(response.getHeaders().get("X-Request-Id")).isEqualTo("rid-42");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aServerWideFilterSeesNoRouteAndNoPathVariablesSinceItRunsBeforeRouting(Clients protocol) throws Exception {
        proxy = recordingProxy().listen("127.0.0.1", 0).build().start();
        client = protocol.start();

        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/users/7/orders")
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(serverWide.get().route()).isEmpty();
        assertThat(serverWide.get().pathVariables()).isEmpty();
        assertThat(routed.get().route()).contains("orders");
        assertThat(routed.get().pathVariables()).isEqualTo(Map.of("id", "7", "rest", ""));
    }

    @Test
    void aRequestWithoutAnIdGetsAGeneratedOneThatTheFilterTheBackendAndTheClientAllSee() throws Exception {
        proxy = recordingProxy().listen("127.0.0.1", 0).build().start();
        client = Clients.HTTP_1_1.start();

        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/users/1/orders")
                .timeout(10, TimeUnit.SECONDS).send();

        String id = routed.get().requestId();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(serverWide.get().requestId()).isEqualTo(id);
        assertThat(response.getHeaders().get("X-Request-Id")).isEqualTo(id);
        assertThat(backend.take().header("X-Request-Id")).isEqualTo(id);
        // Without trusted proxies, the client is the socket's peer.
        assertThat(routed.get().clientAddress()).isEqualTo("127.0.0.1");
        assertThat(routed.get().peerAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterOnATlsListenerSeesTheServerNameTheProtocolAndTheCipherSuite(Clients protocol) throws Exception {
        Path store = dir.resolve("ctx.p12");
        if (!Files.exists(store)) {
            Certificates.addToKeyStore(store, "a", "a.example.com");
        }
        proxy = recordingProxy().listenTls("127.0.0.1", 0, tls -> tls.keyStore(store, Certificates.PASSWORD))
                .build().start();
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        tls.setSNIProvider((engine, names) -> List.of(new SNIHostName("a.example.com")));
        client = protocol.start(tls);

        ContentResponse response = client.newRequest("https://127.0.0.1:" + proxy.port() + "/users/3/orders")
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        TlsInfo seen = routed.get().tls().orElseThrow();
        assertThat(seen.sni()).contains("a.example.com");
        assertThat(seen.protocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(seen.cipherSuite()).startsWith("TLS_");
        assertThat(serverWide.get().tls()).contains(seen);
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aPlainListenerGivesNoTlsFacts(Clients protocol) throws Exception {
        proxy = recordingProxy().listen("127.0.0.1", 0).build().start();
        client = protocol.start();

        client.newRequest("127.0.0.1", proxy.port()).path("/users/3/orders").timeout(10, TimeUnit.SECONDS).send();

        assertThat(routed.get().tls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void anAttributeSetByAServerWideFilterIsReadByARouteFilterByItsKeyOnly(Clients protocol) throws Exception {
        backend = TestBackend.answering("ok");
        AtomicReference<Optional<String>> sameKey = new AtomicReference<>();
        AtomicReference<Optional<String>> otherKeyOfTheSameName = new AtomicReference<>();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .filter((ctx, request, next) -> {
                    ctx.setAttr(TENANT, request.headers().get("X-Tenant"));
                    return next.proceed(request);
                })
                .route(r -> r.pathPrefix("/")
                        .filter((ctx, request, next) -> {
                            sameKey.set(ctx.attr(TENANT));
                            otherKeyOfTheSameName.set(ctx.attr(OTHER_TENANT));
                            return next.proceed(request).thenApply(response -> response.toBuilder()
                                    .headers(response.headers().toBuilder()
                                            .set("X-Tenant-Seen", ctx.attr(TENANT).orElse("none")).build())
                                    .build());
                        })
                        .upstream(backend.uri()))
                .build().start();
        client = protocol.start();

        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x")
                .headers(h -> h.put("X-Tenant", "acme")).timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(sameKey.get()).contains("acme");
        assertThat(otherKeyOfTheSameName.get()).isEmpty();
        assertThat(response.getHeaders().get("X-Tenant-Seen")).isEqualTo("acme");
    }
}
