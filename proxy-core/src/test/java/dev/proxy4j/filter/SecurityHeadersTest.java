package dev.proxy4j.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    private static ProxyResponse through(SecurityHeaders filter, String scheme, ProxyResponse fromBackend) {
        RequestContext ctx = TestContexts.direct();
        return filter.filter(ctx, ProxyRequest.builder().scheme(scheme).build(),
                request -> CompletableFuture.completedFuture(fromBackend)).toCompletableFuture().join();
    }

    @Test
    void thePresetFillsInWhatTheBackendDidNotSet() {
        ProxyResponse response = through(SecurityHeaders.preset().build(), "https",
                ProxyResponse.builder(200).headers(Headers.of("X-Frame-Options", "DENY")).build());

        assertThat(response.headers().get("X-Frame-Options")).as("the application's own wins").isEqualTo("DENY");
        assertThat(response.headers().get("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
        assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.headers().get("Content-Security-Policy")).isEqualTo("frame-ancestors 'self'");
        assertThat(response.headers().get("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(response.headers().get("Permissions-Policy")).contains("camera=()");
    }

    @Test
    void hstsGoesOnHttpsResponsesOnly() {
        ProxyResponse response = through(SecurityHeaders.preset().build(), "http", ProxyResponse.builder(200).build());

        assertThat(response.headers().get("Strict-Transport-Security")).isNull();
        assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void overrideReplacesTheBackendsValuesAndHeadersCanBeChangedOrDropped() {
        SecurityHeaders filter = SecurityHeaders.preset().override().without("X-Frame-Options")
                .header("content-security-policy", "default-src 'self'").build();
        ProxyResponse response = through(filter, "https", ProxyResponse.builder(200)
                .headers(Headers.of("Content-Security-Policy", "default-src *", "X-Frame-Options", "ALLOW")).build());

        assertThat(response.headers().getAll("Content-Security-Policy")).containsExactly("default-src 'self'");
        assertThat(response.headers().get("X-Frame-Options")).as("dropped from the set: the backend's stays").isEqualTo("ALLOW");
    }

    @Test
    void aHeaderWithCrOrLfIsRefused() {
        assertThatThrownBy(() -> SecurityHeaders.builder().header("X-A", "a\r\nSet-Cookie: x"))
                .hasMessageStartingWith("securityHeaders.X-A:");
        assertThatThrownBy(() -> SecurityHeaders.builder().header("bad name", "x")).hasMessageStartingWith("securityHeaders:");
    }
}
