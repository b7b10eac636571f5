package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Consistent hashing and sticky cookies through a real proxy, over three real backends, from HTTP/1.1 and HTTP/2 clients. */
class BalancingEndToEndTest {

    @RegisterExtension
    static final FakeBackendGroup backends = FakeBackendGroup.of(3);

    static final Upstream sticky = Upstream.builder().name("sticky")
            .endpoint(backends.get(0).uri().toString()).endpoint(backends.get(1).uri().toString())
            .endpoint(backends.get(2).uri().toString())
            .loadBalancer(LoadBalancer.stickyCookie("srv")).build();

    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/ring").upstream(u -> hashed(u, LoadBalancer.ringHash(HashKey.header("X-User")))))
            .route(r -> r.pathPrefix("/maglev").upstream(u -> hashed(u, LoadBalancer.maglev(HashKey.cookie("user")))))
            .route(r -> r.pathPrefix("/query").upstream(u -> hashed(u, LoadBalancer.parse("ring-hash:query:user"))))
            .route(r -> r.pathPrefix("/sticky").upstream(sticky)));

    private static void hashed(Upstream.Builder u, LoadBalancer balancer) {
        backends.uris().forEach(uri -> u.endpoint(uri.toString()));
        u.loadBalancer(balancer);
    }

    @BeforeEach
    void stub() {
        for (int i = 0; i < backends.size(); i++) {
            backends.get(i).stubFor(any(anyUrl()).willReturn(ok("backend-" + i)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ring", "/maglev", "/query"})
    void sendsEachKeyToOneBackendAcrossRequestsAndProtocols(String route) {
        Set<String> used = new HashSet<>();
        try (ProxyClient http1 = ProxyClient.http1(proxy.uri()); ProxyClient http2 = ProxyClient.http2(proxy.uri())) {
            for (int user = 0; user < 30; user++) {
                String first = get(http1, route, "user-" + user).body();
                used.add(first);
                for (int i = 0; i < 3; i++) {
                    assertThat(get(http1, route, "user-" + user).body()).isEqualTo(first);
                    ProxyClient.Response overHttp2 = get(http2, route, "user-" + user);
                    assertThat(overHttp2.protocol()).isEqualTo("HTTP/2.0");
                    assertThat(overHttp2.body()).as("user-%s over HTTP/2", user).isEqualTo(first);
                }
            }
        }
        // 30 keys over 3 backends: all three are used (the chance that a good hash misses one is 3 * (2/3)^30, 1 in 50,000).
        assertThat(used).containsExactlyInAnyOrder("backend-0", "backend-1", "backend-2");
    }

    @Test
    void stickyCookiePinsAClientToItsBackendAcrossProtocolsAndMovesItWhenThatBackendIsDrained() throws Exception {
        try (ProxyClient http1 = ProxyClient.http1(proxy.uri()); ProxyClient http2 = ProxyClient.http2(proxy.uri())) {
            ProxyClient.Response first = http1.get("/sticky/a");
            String setCookie = first.header("Set-Cookie");
            assertThat(setCookie).matches("srv=[0-9a-f]{16}; Path=/; HttpOnly");
            // Opaque: no backend address or port in it.
            for (URI uri : backends.uris()) {
                assertThat(setCookie).doesNotContain(uri.getHost() + ":" + uri.getPort()).doesNotContain("" + uri.getPort());
            }
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            String pinned = first.body();
            for (int i = 0; i < 10; i++) {
                // The client's own cookie store sends it back over HTTP/1.1; over HTTP/2 the test sends it.
                ProxyClient.Response again = http1.get("/sticky/b");
                assertThat(again.body()).isEqualTo(pinned);
                assertThat(again.header("Set-Cookie")).isNull();
                ProxyClient.Response overHttp2 = http2.get("/sticky/c", "Cookie", cookie);
                assertThat(overHttp2.body()).isEqualTo(pinned);
                assertThat(overHttp2.header("Set-Cookie")).isNull();
            }

            Endpoint drained = sticky.endpoints().get(Integer.parseInt(pinned.substring("backend-".length())));
            sticky.group().drain(drained).toCompletableFuture().get(10, TimeUnit.SECONDS);

            ProxyClient.Response moved = http2.get("/sticky/d", "Cookie", cookie);
            assertThat(moved.status()).isEqualTo(200);
            assertThat(moved.body()).isNotEqualTo(pinned);
            String reset = moved.header("Set-Cookie");
            assertThat(reset).startsWith("srv=").isNotEqualTo(setCookie);
            String newCookie = reset.substring(0, reset.indexOf(';'));
            for (int i = 0; i < 5; i++) {
                assertThat(http2.get("/sticky/e", "Cookie", newCookie).body()).isEqualTo(moved.body());
            }
        } finally {
            for (Endpoint endpoint : List.of(Endpoint.of(backends.get(0).uri().toString()),
                    Endpoint.of(backends.get(1).uri().toString()), Endpoint.of(backends.get(2).uri().toString()))) {
                sticky.group().add(endpoint);
            }
        }
    }

    private static ProxyClient.Response get(ProxyClient client, String route, String user) {
        return switch (route) {
            case "/ring" -> client.get(route + "/x", "X-User", user);
            case "/maglev" -> client.get(route + "/x", "Cookie", "theme=dark; user=" + user);
            default -> client.get(route + "/x?user=" + user);
        };
    }
}
