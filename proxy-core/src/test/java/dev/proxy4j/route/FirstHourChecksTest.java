package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Mistakes a new user makes, refused at build() with the field and the value. */
class FirstHourChecksTest {

    @Test
    void aPrefixRewriteThatCannotMatchTheRoutesPrefixIsRefused() {
        assertThatThrownBy(() -> Route.builder().pathPrefix("/api").rewritePrefix("/v1", "/").upstream("http://127.0.0.1:9")
                .build())
                .hasMessage("rewritePrefix: \"/v1\" (expected: a prefix the route's paths can start with,"
                        + " since pathPrefix is \"/api\")");
    }

    @Test
    void prefixRewritesThatCanMatchAreTaken() {
        assertThat(Route.builder().pathPrefix("/api").rewritePrefix("/api", "/").upstream("http://127.0.0.1:9").build()
                .rewrite(dev.proxy4j.http.ProxyRequest.builder().method("GET").path("/api/x").build()).path())
                .isEqualTo("/x");
        Route.builder().pathPrefix("/api").rewritePrefix("/api/v1", "/v1").upstream("http://127.0.0.1:9").build();
        Route.builder().pathPrefix("/api/v1").rewritePrefix("/api", "/").upstream("http://127.0.0.1:9").build();
        Route.builder().rewritePrefix("/anything", "/").upstream("http://127.0.0.1:9").build();
    }

    @Test
    void theSameListenerTwiceIsRefused() {
        assertThatThrownBy(() -> ProxyConfig.builder().listener(Listener.plain(8080)).listener(Listener.plain(8080))
                .route(r -> r.upstream("http://127.0.0.1:9")).build())
                .hasMessage("listeners[1]: 0.0.0.0:8080 (expected: each host and port once; listeners[0] has it)");
        // Port 0 picks a free port each time: twice is two listeners.
        assertThat(ProxyConfig.builder().listener(Listener.plain(0)).listener(Listener.plain(0))
                .route(r -> r.upstream("http://127.0.0.1:9")).build().listeners()).hasSize(2);
    }

    @Test
    void anEndpointIsAlsoAUri() {
        Upstream upstream = Upstream.builder().endpoint(URI.create("http://127.0.0.1:9001"))
                .endpoint(URI.create("http://127.0.0.1:9002"), 3).build();

        assertThat(upstream.endpoints()).extracting(e -> e.uri().toString() + "@" + e.weight())
                .containsExactly("http://127.0.0.1:9001@1", "http://127.0.0.1:9002@3");
    }
}
