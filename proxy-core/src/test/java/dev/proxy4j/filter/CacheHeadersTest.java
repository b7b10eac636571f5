package dev.proxy4j.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CacheHeadersTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final RequestContext ctx = RequestContext.builder().requestId("t")
            .eventLoop(dev.proxy4j.context.TestContexts.DIRECT).blockingExecutor(Runnable::run).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    private final CacheHeaders headers = CacheHeaders.builder()
            .rule(r -> r.paths("/assets/**", "*.woff2").expires(Duration.ofDays(30)).cacheControl("public, immutable"))
            .rule(r -> r.types("text/html").cacheControl("no-cache"))
            .rule(r -> r.paths("/live/*").cacheControl("no-store").override())
            .build();

    private static ProxyResponse response(int status, String... headers) {
        return ProxyResponse.builder(status).headers(Headers.of(headers)).build();
    }

    @Test
    void expiresSetsBothHeadersFromTheClock() {
        ProxyResponse out = headers.apply(ctx, "/assets/js/app.js", response(200, "Content-Type", "text/javascript"));

        assertThat(out.headers().get("Cache-Control")).isEqualTo("max-age=2592000, public, immutable");
        assertThat(out.headers().get("Expires")).isEqualTo("Thu, 31 Dec 2026 12:00:00 GMT");
    }

    @Test
    void aPatternWithoutASlashIsOfTheFileNameAndOneStarStaysInItsSegment() {
        assertThat(headers.apply(ctx, "/fonts/x/inter.woff2", response(200)).headers().contains("Expires")).isTrue();
        assertThat(headers.apply(ctx, "/live/feed", response(200)).headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(headers.apply(ctx, "/live/a/b", response(200)).headers().contains("Cache-Control")).isFalse();
        assertThat(headers.apply(ctx, "/assetsX/a", response(200)).headers().contains("Cache-Control")).isFalse();
    }

    @Test
    void aTypeMatchesWithoutItsParametersAndTheFirstMatchingRuleWins() {
        assertThat(headers.apply(ctx, "/index.html", response(200, "Content-Type", "text/html; charset=utf-8"))
                .headers().get("Cache-Control")).isEqualTo("no-cache");
        assertThat(headers.apply(ctx, "/assets/index.html", response(200, "Content-Type", "text/html"))
                .headers().get("Cache-Control")).startsWith("max-age=2592000");
    }

    @Test
    void theBackendsOwnHeadersAreKeptUnlessTheRuleOverrides() {
        ProxyResponse own = response(200, "Content-Type", "text/html", "Cache-Control", "private");
        assertThat(headers.apply(ctx, "/page", own).headers().get("Cache-Control")).isEqualTo("private");
        ProxyResponse live = response(200, "Cache-Control", "max-age=60", "Expires", "x");
        ProxyResponse overridden = headers.apply(ctx, "/live/x", live);
        assertThat(overridden.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(overridden.headers().get("Expires")).isEqualTo("x");
    }

    @Test
    void errorsAndOtherStatusesAreLeftAlone() {
        for (int status : new int[] {404, 500, 502, 403}) {
            assertThat(headers.apply(ctx, "/assets/a.js", response(status)).headers().contains("Cache-Control"))
                    .as("%s", status).isFalse();
        }
        assertThat(headers.apply(ctx, "/assets/a.js", response(304)).headers().contains("Cache-Control")).isTrue();
    }

    @Test
    void rulesAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> CacheHeaders.builder().rule(r -> r.cacheControl("public")).build())
                .hasMessage("rule: no paths and no types (expected: at least one of them)");
        assertThatThrownBy(() -> CacheHeaders.builder().rule(r -> r.paths("/a")).build())
                .hasMessage("rule [/a]: nothing to set (expected: expires or cacheControl)");
        assertThatThrownBy(() -> CacheHeaders.builder().rule(r -> r.types("html")))
                .hasMessage("types: \"html\" (expected: a media type such as text/html or image/*)");
        assertThatThrownBy(() -> CacheHeaders.builder().rule(r -> r.expires(Duration.ofSeconds(-1))))
                .hasMessage("expires: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> CacheHeaders.builder().build())
                .hasMessage("cacheHeaders: no rules (expected: at least one rule(...))");
    }
}
