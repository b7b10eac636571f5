package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StickyCookieTest {

    private static final RequestContext CTX = TestContexts.direct();

    private final Endpoint a = Endpoint.of("http://10.0.0.1:8080");
    private final Endpoint b = Endpoint.of("http://10.0.0.2:8080");
    private final Endpoint c = Endpoint.of("http://10.0.0.3:8080");
    private final Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).endpoint(c)
            .loadBalancer(LoadBalancer.stickyCookie("srv", LoadBalancer.roundRobin())).build();

    @Test
    void setsTheCookieToTheChosenEndpointWhenTheRequestHasNone() {
        Selection first = select(ProxyRequest.builder().build());
        assertThat(first.endpoint()).isEqualTo(a);
        assertThat(first.responseHeaders())
                .isEqualTo(Headers.of("Set-Cookie", "srv=" + StickyCookieLoadBalancer.value(a) + "; Path=/; HttpOnly"));
    }

    @Test
    void namesTheEndpointByAStableHashNotItsAddress() {
        String value = StickyCookieLoadBalancer.value(b);
        assertThat(value).matches("[0-9a-f]{16}").doesNotContain("10.0.0.2").doesNotContain("8080");
        assertThat(StickyCookieLoadBalancer.value(Endpoint.of("http://10.0.0.2:8080", 7))).isEqualTo(value);
        assertThat(StickyCookieLoadBalancer.value(a)).isNotEqualTo(value);
    }

    @Test
    void honoursTheCookieAndSetsNothingAgain() {
        ProxyRequest pinned = withCookie("theme=dark; srv=" + StickyCookieLoadBalancer.value(c));
        for (int i = 0; i < 5; i++) {
            Selection selection = select(pinned);
            assertThat(selection.endpoint()).isEqualTo(c);
            assertThat(selection.responseHeaders()).isEqualTo(Headers.empty());
        }
    }

    @Test
    void fallsBackAndSetsAFreshCookieWhenTheValueIsStale() {
        Selection selection = select(withCookie("srv=0123456789abcdef"));
        assertThat(selection.endpoint()).isEqualTo(a);
        assertThat(selection.responseHeaders().get("Set-Cookie")).startsWith("srv=" + StickyCookieLoadBalancer.value(a) + ';');
    }

    @Test
    void fallsBackWhenThePinnedEndpointIsDrainedUnhealthyOrTried() {
        ProxyRequest pinned = withCookie("srv=" + StickyCookieLoadBalancer.value(b));
        Selection retried = upstream.select(CTX, pinned, Set.of(b)).orElseThrow();
        assertThat(retried.endpoint()).isNotEqualTo(b);
        assertThat(retried.responseHeaders().get("Set-Cookie")).contains(StickyCookieLoadBalancer.value(retried.endpoint()));

        upstream.group().setHealth(b, EndpointState.Health.UNHEALTHY);
        assertThat(select(pinned).endpoint()).isNotEqualTo(b);
        upstream.group().setHealth(b, EndpointState.Health.HEALTHY);
        assertThat(select(pinned).endpoint()).isEqualTo(b);

        upstream.group().drain(b);
        Selection afterDrain = select(pinned);
        assertThat(afterDrain.endpoint()).isNotEqualTo(b);
        assertThat(afterDrain.responseHeaders().get("Set-Cookie"))
                .isEqualTo("srv=" + StickyCookieLoadBalancer.value(afterDrain.endpoint()) + "; Path=/; HttpOnly");
    }

    @Test
    void marksTheCookieSecureOverTls() {
        RequestContext tls = RequestContext.builder().requestId("t").eventLoop(TestContexts.DIRECT)
                .blockingExecutor(Runnable::run).tls(new dev.proxy4j.context.TlsInfo("a.example", "TLSv1.3", "TLS_AES_128_GCM_SHA256"))
                .build();
        Optional<Selection> selection = upstream.select(tls, ProxyRequest.builder().build(), Set.of());
        assertThat(selection.orElseThrow().responseHeaders().get("Set-Cookie")).endsWith("; Path=/; HttpOnly; Secure");
    }

    @Test
    void refusesACookieNameThatIsNotAToken() {
        assertThatThrownBy(() -> LoadBalancer.stickyCookie("a b"))
                .hasMessage("cookieName: \"a b\" (expected: a token as RFC 6265 defines a cookie name)");
    }

    @Test
    void otherBalancersAddNoResponseHeader() {
        Upstream plain = Upstream.of("http://10.0.0.1:8080");
        assertThat(plain.select(CTX, ProxyRequest.builder().build(), Set.of()).orElseThrow().responseHeaders())
                .isEqualTo(Headers.empty());
    }

    private Selection select(ProxyRequest request) {
        return upstream.select(CTX, request, Set.of()).orElseThrow();
    }

    private static ProxyRequest withCookie(String cookie) {
        return ProxyRequest.builder().headers(Headers.of("Cookie", cookie)).build();
    }
}
