package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
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

/** Trusted proxies, header rules, filters, HTTP/2 backends and timeouts, end to end over HTTP/1.1 and HTTP/2. */
class PoliciesTest {

    private TestBackend backend;
    private TestBackend dribbling;
    private ProxyServer trusting;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Server", "backend/1.2.3");
                response.getHeaders().put("X-Powered-By", "framework/4.5");
                response.getHeaders().put("Set-Cookie", "session=abc");
                TestBackend.Content.write(response, "from " + request.getConnectionMetaData().getProtocol(), callback);
                return true;
            }
        });
        dribbling = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                response.write(false, java.nio.ByteBuffer.wrap("first".getBytes()), Callback.NOOP);
                Thread.sleep(1500);
                TestBackend.Content.write(response, "second", callback);
                return true;
            }
        });
        trusting = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .forwarding(f -> f.trustedProxies("127.0.0.1/32", "10.0.0.0/8")
                        .emit(EnumSet.allOf(ForwardedHeader.class)))
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/rules")
                        .headers(h -> h.setRequestHeader("X-Env", "test").removeRequestHeader("X-Secret")
                                .hideResponseHeaders("Server", "X-Powered-By").stripResponseCookies()
                                .addResponseHeader("X-Frame-Options", "DENY"))
                        .upstream(backend.uri()))
                .route(r -> r.pathPrefix("/filtered")
                        .filter((request, next) -> request.headers().contains("X-Let-Me-In")
                                ? next.proceed(request)
                                : CompletableFuture.completedFuture(ProxyResponse.text(403, "no\n")))
                        .upstream(backend.uri()))
                .route(r -> r.pathPrefix("/broken").filter((request, next) -> null).upstream(backend.uri()))
                .route(r -> r.pathPrefix("/h2").upstream(u -> u.endpoint(backend.uri()).protocol(UpstreamProtocol.HTTP_2)))
                .route(r -> r.pathPrefix("/idle").idleTimeout(Duration.ofMillis(500)).upstream(dribbling.uri()))
                .route(r -> r.pathPrefix("/total").totalTimeout(Duration.ofMillis(500)).upstream(dribbling.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        trusting.stop();
        backend.close();
        dribbling.close();
    }

    private static ContentResponse get(HttpClient client, ProxyServer server, String path, String... headers)
            throws Exception {
        return client.newRequest("127.0.0.1", server.port()).path(path).timeout(10, TimeUnit.SECONDS)
                .headers(h -> {
                    for (int i = 0; i < headers.length; i += 2) {
                        h.add(headers[i], headers[i + 1]);
                    }
                })
                .send();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void believesForwardingHeadersFromATrustedPeerAndAppendsToThem(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            get(client, trusting, "/x",
                    "X-Forwarded-For", "203.0.113.7, 10.1.2.3",
                    "X-Forwarded-Proto", "https",
                    "Forwarded", "for=203.0.113.7;proto=https");

            TestBackend.Seen seen = backend.take();
            assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 10.1.2.3, 127.0.0.1");
            assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(seen.header("Forwarded")).startsWith("for=203.0.113.7;proto=https, for=127.0.0.1;");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void appliesHeaderRulesBothWays(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = get(client, proxy, "/rules/x", "X-Secret", "s3cr3t", "X-Env", "prod");

            TestBackend.Seen seen = backend.take();
            assertThat(seen.all("X-Env")).containsExactly("test");
            assertThat(seen.header("X-Secret")).isNull();
            assertThat(response.getHeaders().get("Server")).isNull();
            assertThat(response.getHeaders().get("X-Powered-By")).isNull();
            assertThat(response.getHeaders().get("Set-Cookie")).isNull();
            assertThat(response.getHeaders().get("X-Frame-Options")).isEqualTo("DENY");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void letsAFilterAnswerItselfWithoutCallingTheBackend(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse denied = get(client, proxy, "/filtered/x");
            ContentResponse allowed = get(client, proxy, "/filtered/x", "X-Let-Me-In", "1");

            assertThat(denied.getStatus()).isEqualTo(403);
            assertThat(denied.getContentAsString()).isEqualTo("no\n");
            assertThat(allowed.getStatus()).isEqualTo(200);
            assertThat(backend.drain()).hasSize(1);
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void answers500WithoutDetailsWhenAFilterBreaksItsContract(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = get(client, proxy, "/broken/x");

            assertThat(response.getStatus()).isEqualTo(500);
            assertThat(response.getContentAsString()).isEqualTo("500 Server Error\n");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void speaksHttp2ToABackendWhenTheUpstreamSaysSo(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = get(client, proxy, "/h2/x");

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("from HTTP/2.0");
            assertThat(backend.take().header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + proxy.port());
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void cutsOffAResponseThatGoesQuietLongerThanTheIdleTimeout(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            var result = new CompletableFuture<org.eclipse.jetty.client.Result>();
            client.newRequest("127.0.0.1", proxy.port()).path("/idle/x").timeout(10, TimeUnit.SECONDS)
                    .send(result::complete);

            assertThat(result.get(10, TimeUnit.SECONDS).isFailed())
                    .as("headers were already sent, so the response is cut off rather than answered 504")
                    .isTrue();
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void cutsOffAnExchangeOverTheTotalTimeout(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            var result = new CompletableFuture<org.eclipse.jetty.client.Result>();
            client.newRequest("127.0.0.1", proxy.port()).path("/total/x").timeout(10, TimeUnit.SECONDS)
                    .send(result::complete);

            assertThat(result.get(10, TimeUnit.SECONDS).isFailed()).isTrue();
        } finally {
            client.stop();
        }
    }
}
