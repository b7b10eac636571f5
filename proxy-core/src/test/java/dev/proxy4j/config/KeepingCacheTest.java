package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.cache.InMemoryCacheStore;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A reconfigured proxy keeps its shared cache, entries and all, when the new one has the same settings. */
class KeepingCacheTest {

    private static ProxyConfig config(HttpCache cache) {
        return ProxyConfig.builder().listener(Listener.plain(0)).cache(cache)
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:9000")).build();
    }

    /** No collapsing: the direct test loop has no timer for the collapse wait. */
    private static HttpCache cache(long bytes) {
        return HttpCache.builder().store(InMemoryCacheStore.of(bytes)).collapseTimeout(Duration.ZERO).build();
    }

    /** Sends GET /a through the route's filters (the cache last) to a backend that counts. */
    private static String get(ProxyConfig config, AtomicInteger backend) {
        Route route = config.routes().routes().get(0);
        List<ProxyFilter> filters = config.filtersFor(route);
        FilterChain origin = request -> CompletableFuture.completedFuture(ProxyResponse.builder(200)
                .headers(Headers.of("Cache-Control", "max-age=300", "Content-Length", "2"))
                .body(Body.ofUtf8("n" + backend.incrementAndGet())).build());
        ProxyRequest request = ProxyRequest.builder().method("GET").authority("example.com").pathAndQuery("/a").build();
        ProxyResponse response = filters.get(filters.size() - 1).filter(TestContexts.direct(), request, origin)
                .toCompletableFuture().join();
        return Bodies.aggregate(response.body(), 1024).toCompletableFuture().join().toUtf8();
    }

    @Test
    void aCacheWithTheSameSettingsIsReplacedByTheRunningOneWithWhatItStores() {
        AtomicInteger backend = new AtomicInteger();
        ProxyConfig running = config(cache(1 << 20));
        assertThat(get(running, backend)).isEqualTo("n1");

        ProxyConfig next = config(cache(1 << 20)).keepingCacheOf(running);

        assertThat(next.cache()).containsSame(running.cache().orElseThrow());
        assertThat(get(next, backend)).as("answered from the kept store").isEqualTo("n1");
        assertThat(backend).hasValue(1);
    }

    @Test
    void aCacheWithOtherSettingsStartsEmpty() {
        AtomicInteger backend = new AtomicInteger();
        ProxyConfig running = config(cache(1 << 20));
        get(running, backend);
        HttpCache otherSize = cache(2 << 20);
        HttpCache otherCap = HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)).heuristicCap(Duration.ZERO)
                .collapseTimeout(Duration.ZERO).build();

        ProxyConfig next = config(otherSize).keepingCacheOf(running);

        assertThat(next.cache()).containsSame(otherSize);
        assertThat(get(next, backend)).isEqualTo("n2");
        assertThat(config(otherCap).keepingCacheOf(running).cache()).containsSame(otherCap);
    }

    @Test
    void withoutACacheOnEitherSideTheNewConfigurationIsTakenAsItIs() {
        ProxyConfig none = ProxyConfig.builder().listener(Listener.plain(0))
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:9000")).build();
        ProxyConfig cached = config(cache(1 << 20));

        assertThat(none.keepingCacheOf(cached)).isSameAs(none);
        assertThat(cached.keepingCacheOf(none)).isSameAs(cached);
        assertThat(cached.keepingCacheOf(cached)).isSameAs(cached);
    }

    @Test
    void sameSettingsComparesEverySettingAndTheStoresBounds() {
        HttpCache base = HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)).build();

        assertThat(base.sameSettings(HttpCache.inMemory(1 << 20))).isTrue();
        assertThat(base.sameSettings(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20, 1024)).build())).isFalse();
        assertThat(base.sameSettings(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)).storeSetCookie(true)
                .build())).isFalse();
        assertThat(base.sameSettings(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)).purgeMethod(true)
                .build())).isFalse();
        assertThat(base.sameSettings(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20))
                .collapseTimeout(Duration.ofSeconds(1)).build())).isFalse();
        assertThat(base.sameSettings(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20)).name("edge").build()))
                .isFalse();
    }
}
