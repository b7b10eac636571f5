package dev.proxy4j.testkit;

import dev.proxy4j.cache.CacheStore;
import dev.proxy4j.cache.InMemoryCacheStore;

class InMemoryCacheStoreContractTest extends CacheStoreContract {
    private InMemoryCacheStore store;

    @Override
    protected CacheStore newStore(long maxBytes, long maxObjectBytes) {
        store = InMemoryCacheStore.of(maxBytes, maxObjectBytes);
        return store;
    }

    @Override
    protected void settle() {
        store.cleanUp();
    }
}
