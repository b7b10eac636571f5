package dev.proxy4j.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cache's own Cache-Status member (RFC 9211) read as one of a bounded set of results. */
class CacheResultTest {

    @Test
    void aFreshHitIsAHit() {
        assertThat(CacheResult.of("proxy4j; hit; ttl=30")).isEqualTo(CacheResult.HIT);
    }

    @Test
    void aStaleAnswerIsStaleWhateverAllowedIt() {
        assertThat(CacheResult.of("proxy4j; hit; ttl=-5; detail=max-stale")).isEqualTo(CacheResult.STALE);
        assertThat(CacheResult.of("proxy4j; hit; ttl=-5; detail=stale-while-revalidate")).isEqualTo(CacheResult.STALE);
        assertThat(CacheResult.of("proxy4j; hit; ttl=-5; detail=stale-if-error")).isEqualTo(CacheResult.STALE);
    }

    @Test
    void aCollapsedFollowerIsCollapsed() {
        assertThat(CacheResult.of("proxy4j; hit; ttl=60; collapsed")).isEqualTo(CacheResult.COLLAPSED);
    }

    @Test
    void missesOfTheKeyOrOfTheVariantAreMisses() {
        assertThat(CacheResult.of("proxy4j; fwd=uri-miss; stored")).isEqualTo(CacheResult.MISS);
        assertThat(CacheResult.of("proxy4j; fwd=vary-miss")).isEqualTo(CacheResult.MISS);
        assertThat(CacheResult.of("proxy4j; fwd=miss; detail=no-store")).isEqualTo(CacheResult.MISS);
        assertThat(CacheResult.of("proxy4j; detail=only-if-cached")).isEqualTo(CacheResult.MISS);
    }

    @Test
    void aStaleEntryIsRevalidatedByA304OrExpiredByANewResponse() {
        assertThat(CacheResult.of("proxy4j; fwd=stale; fwd-status=304; stored")).isEqualTo(CacheResult.REVALIDATED);
        assertThat(CacheResult.of("proxy4j; fwd=stale; stored")).isEqualTo(CacheResult.EXPIRED);
    }

    @Test
    void theClientAskingPastTheStoreIsABypassUnlessA304Revalidated() {
        assertThat(CacheResult.of("proxy4j; fwd=request; stored")).isEqualTo(CacheResult.BYPASS);
        assertThat(CacheResult.of("proxy4j; fwd=request; fwd-status=304")).isEqualTo(CacheResult.REVALIDATED);
    }

    @Test
    void paramsAreWholeItemsWhateverTheSpacesAroundThem() {
        assertThat(CacheResult.of("proxy4j;hit ;ttl=1")).isEqualTo(CacheResult.HIT);
        assertThat(CacheResult.of("proxy4j; hit; ttl=1;collapsed ")).isEqualTo(CacheResult.COLLAPSED);
        assertThat(CacheResult.of("proxy4j; hits; ttl=1")).isEqualTo(CacheResult.MISS);
        assertThat(CacheResult.of("proxy4j; fwd=uri-miss; xhit")).isEqualTo(CacheResult.MISS);
    }
}
