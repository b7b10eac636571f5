package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.ratelimit.RateLimit;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

    @Test
    void rateLimitsAreServerWideOrOnARouteInTheOneLineOrTheLongForm() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: ["10r/s,burst=20,nodelay", "600r/m,key=header:X-Api-Key,delay=3"]
                routes:
                  - pathPrefix: /login
                    rateLimits:
                      - {name: logins, rate: 5r/m, burst: 2, key: ip, dryRun: true, maxKeys: 5000}
                      - {rate: 100r/s, key: route, nodelay: true, responseHeaders: true}
                    upstream: http://127.0.0.1:9000
                """);

        assertThat(config.filters()).extracting(Object::toString).containsExactly(
                "RateLimit[ip-10r/s, 10r/s, burst=20, nodelay, key=ip]",
                "RateLimit[header:X-Api-Key-600r/m, 600r/m, burst=0, delay=3, key=header:X-Api-Key]");
        assertThat(config.routes().routes().get(0).filters()).extracting(Object::toString).containsExactly(
                "RateLimit[logins, 5r/m, burst=2, key=ip, dryRun]",
                "RateLimit[route-100r/s, 100r/s, burst=0, nodelay, key=route]");
        assertThat(((RateLimit) config.filters().get(1)).delay()).isEqualTo(3);
    }

    @Test
    void aBadLimitNamesItsPathAndValue() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: ["10r/h"]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("rateLimits[0]").hasMessageContaining("\"10r/h\"");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: [{rate: 10r/s, key: cookie}]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("rateLimits[0].key")
                .hasMessageContaining("(expected: ip, header:NAME, apikey, jwt, route, path or global)");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: [{rate: 10r/s, nodelay: true, delay: 2}]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("rateLimits[0].delay: conflicts with nodelay");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: [{burst: 3}]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("rateLimits[0].rate: missing");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                rateLimits: ["10r/s,burst=x"]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("burst: \"x\" (expected: a whole number)");
    }
}
