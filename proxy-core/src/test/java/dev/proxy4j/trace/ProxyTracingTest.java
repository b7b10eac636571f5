package dev.proxy4j.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Endpoint;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProxyTracingTest {

    private final ProxyRequest request = ProxyRequest.builder().method("GET").path("/").build();
    private final RequestContext ctx = dev.proxy4j.context.TestContexts.direct();
    private final Endpoint endpoint = Endpoint.of("http://127.0.0.1:9000");

    @Test
    void noneTracesNothingAndHandsOutSharedConstants() {
        ProxyTracing none = ProxyTracing.none();

        assertThat(none.enabled()).isFalse();
        assertThat(none.start(request, ctx)).isSameAs(RequestTrace.NONE);
        assertThat(RequestTrace.NONE.attempt(request, endpoint, 1)).isSameAs(AttemptTrace.NONE);
    }

    @Test
    void noneAllocatesNothingPerRequest() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ProxyTracing none = ProxyTracing.none();
        for (int i = 0; i < 10_000; i++) {
            walk(none);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            walk(none);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // 10,000 requests' worth of calls: a single object per request would be 160 KB or more.
        assertThat(allocated).isLessThan(10_000);
    }

    private void walk(ProxyTracing tracing) {
        RequestTrace trace = tracing.start(request, ctx);
        AttemptTrace attempt = trace.attempt(request, endpoint, 1);
        attempt.end(200, null);
        trace.end(ctx.log());
    }

    @Test
    void aProviderNotOnTheClassPathIsNamed() {
        assertThatThrownBy(() -> ProxyTracingProvider.create("opentelemetry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tracing: opentelemetry (expected: proxy-opentelemetry on the class path for opentelemetry)");
    }

    @Test
    void aSecondTracingIsRefusedNamingTheFirst() {
        ProxyTracing first = (r, c) -> RequestTrace.NONE;
        dev.proxy4j.config.ProxyConfig.Builder builder = dev.proxy4j.config.ProxyConfig.builder().tracing(first);

        assertThatThrownBy(() -> builder.tracing((r, c) -> RequestTrace.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("tracing was already set to ");
    }
}
