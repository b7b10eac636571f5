package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.cache.CacheKey;
import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.route.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code cache:} in the config file: the shared cache at the top, off or keyed on a route. */
class CacheConfigTest {

    @Test
    void aSizeAloneIsAnInMemoryCacheOnEveryRoute() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: 64m
                routes:
                  - {pathPrefix: /a, upstream: http://127.0.0.1:9000}
                  - {pathPrefix: /b, cache: off, upstream: http://127.0.0.1:9000}
                """);

        HttpCache cache = config.cache().orElseThrow();
        assertThat(cache.store().bounds().orElseThrow().maxBytes()).isEqualTo(64L * 1024 * 1024);
        Route a = config.routes().routes().get(0);
        Route b = config.routes().routes().get(1);
        assertThat(config.filtersFor(a)).hasSize(1);
        assertThat(config.filtersFor(a).get(0).toString()).startsWith("CacheFilter");
        assertThat(config.filtersFor(b)).isEmpty();
    }

    @Test
    void theLongFormSetsEverySetting() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: {size: 16m, maxObjectSize: 1m, storeSetCookie: true, heuristicCap: 1h, collapseTimeout: 2s, purge: true}
                routes:
                  - pathPrefix: /a
                    cache: {key: {scheme: false, host: false, query: [page, size], headers: [X-Tenant]}}
                    upstream: http://127.0.0.1:9000
                """);

        HttpCache cache = config.cache().orElseThrow();
        assertThat(cache.maxObjectBytes()).isEqualTo(1024 * 1024);
        assertThat(cache.storesSetCookie()).isTrue();
        assertThat(cache.heuristicCap()).isEqualTo(Duration.ofHours(1));
        assertThat(cache.collapseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cache.purgeMethod()).isTrue();
        assertThat(config.routes().routes().get(0).cacheKey()).isEqualTo(CacheKey.builder().withoutScheme()
                .withoutHost().queryParams("page", "size").header("X-Tenant").build());
    }

    @Test
    void badCacheSettingsNameTheirPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: 0
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("cache: 0 (expected: a size above 0, such as 64m)");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: {size: 1m, maxObjectSize: 2m}
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("cache.maxObjectSize").hasMessageContaining("2097152");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: {size: 1m, ttl: 5s}
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("cache.ttl: unknown key");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{cache: on, upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("routes[0].cache: \"on\" (expected: off, or a top-level cache: to use");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                cache: 1m
                routes: [{cache: maybe, upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("routes[0].cache").hasMessageContaining("maybe");
    }
}
