package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.DnsResolution;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An upstream's {@code resolve}: its named endpoints re-resolved as DNS answers change. */
class ResolveConfigTest {

    private static Upstream upstream(String settings) {
        ProxyConfig config = ConfigFile.parse("listeners: [{port: 8080}]\nupstreams:\n  api:\n"
                + "    endpoints: [http://backends.test:9001, http://127.0.0.1:9002]\n"
                + settings.indent(4) + "routes: [{upstream: api}]\n");
        return config.upstreams().get(0);
    }

    private static void refused(String settings, String message) {
        assertThatThrownBy(() -> upstream(settings)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void connectsByNameWithoutResolve() {
        Upstream upstream = upstream("");
        assertThat(upstream.dnsResolution()).isEmpty();
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://backends.test:9001"),
                Endpoint.of("http://127.0.0.1:9002"));
        assertThat(upstream("resolve: false").dnsResolution()).isEmpty();
    }

    @Test
    void resolveTrueTakesEveryDefaultAndLeavesIpLiteralsAlone() {
        Upstream upstream = upstream("resolve: true");
        DnsResolution resolution = upstream.dnsResolution().orElseThrow();
        assertThat(resolution.interval()).isEqualTo(DnsResolution.DEFAULT_INTERVAL);
        assertThat(resolution.maxFailureInterval()).isEqualTo(DnsResolution.DEFAULT_MAX_FAILURE_INTERVAL);
        assertThat(resolution.onEmpty()).isEqualTo(DnsResolution.OnEmpty.KEEP);
        assertThat(upstream.resolvedNames()).containsExactly(Endpoint.of("http://backends.test:9001"));
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9002"));
    }

    @Test
    void takesEverySetting() {
        DnsResolution resolution = upstream("""
                resolve: {interval: 1s, maxFailureInterval: 20s, onEmpty: remove}
                """).dnsResolution().orElseThrow();
        assertThat(resolution.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(resolution.maxFailureInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(resolution.onEmpty()).isEqualTo(DnsResolution.OnEmpty.REMOVE);
    }

    @Test
    void badSettingsNameTheFieldAndTheValue() {
        refused("resolve: {interval: 10ms}", "upstreams.api.resolve.interval: PT0.01S (expected: 100ms..1d)");
        refused("resolve: {interval: 10s, maxFailureInterval: 2s}",
                "upstreams.api.resolve.maxFailureInterval: PT2S (expected: >= interval PT10S)");
        refused("resolve: {onEmpty: drop}", "upstreams.api.resolve.onEmpty: \"drop\" (expected: one of keep, remove)");
        refused("resolve: {every: 1s}",
                "upstreams.api.resolve.every: unknown key (expected: one of interval, maxFailureInterval, onEmpty)");
        refused("resolve: often", "upstreams.api.resolve: \"often\" (expected: true or false)");
    }
}
