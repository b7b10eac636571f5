package dev.proxy4j.config.file;

import dev.proxy4j.cache.CacheKey;
import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.cache.InMemoryCacheStore;
import dev.proxy4j.route.Route;

/** {@code cache:} at the top (the shared cache) and on a route (off, or its key). */
final class CacheReader {

    private CacheReader() {
    }

    /**
     * {@code 64m}, or {@code {size: 64m, maxObjectSize: 1m, storeSetCookie: false, heuristicCap: 1d,
     * collapseTimeout: 5s, purge: false}}: an in-memory shared cache on every route.
     */
    static HttpCache cache(Value value) {
        if (!value.isMap()) {
            long size = value.size();
            return value.build(() -> HttpCache.inMemory(checkedSize(value, size)));
        }
        Value.Section s = value.section("size", "maxObjectSize", "storeSetCookie", "heuristicCap", "collapseTimeout",
                "purge");
        Value sizeValue = s.require("size");
        long size = checkedSize(sizeValue, sizeValue.size());
        Value at = s.get("maxObjectSize");
        InMemoryCacheStore store;
        if (at != null) {
            long max = at.size();
            store = at.build(() -> InMemoryCacheStore.of(size, max));
        } else {
            store = sizeValue.build(() -> InMemoryCacheStore.of(size));
        }
        HttpCache.Builder b = HttpCache.builder().store(store);
        if ((at = s.get("storeSetCookie")) != null) {
            boolean on = at.bool();
            b.storeSetCookie(on);
        }
        if ((at = s.get("heuristicCap")) != null) {
            Value x = at;
            x.run(() -> b.heuristicCap(x.duration()));
        }
        if ((at = s.get("collapseTimeout")) != null) {
            Value x = at;
            x.run(() -> b.collapseTimeout(x.duration()));
        }
        if ((at = s.get("purge")) != null) {
            boolean on = at.bool();
            b.purgeMethod(on);
        }
        return value.build(b::build);
    }

    private static long checkedSize(Value value, long size) {
        if (size <= 0) {
            throw value.invalid("a size above 0, such as 64m");
        }
        return size;
    }

    /**
     * A route's {@code cache:}: {@code off} (or {@code false}), {@code on} (or {@code true}), or
     * {@code {key: {scheme: false, host: false, query: false | [names], headers: [names]}}}.
     */
    static void route(Value value, Route.Builder b, boolean sharedCache) {
        if (value.raw() instanceof Boolean on) {
            onOff(value, b, on, sharedCache);
            return;
        }
        if (!value.isMap()) {
            onOff(value, b, value.choice("on", "off").equals("on"), sharedCache);
            return;
        }
        requireShared(value, sharedCache);
        Value.Section s = value.section("key");
        Value.Section k = s.require("key").section("scheme", "host", "query", "headers");
        CacheKey.Builder key = CacheKey.builder();
        Value at;
        if ((at = k.get("scheme")) != null && !at.bool()) {
            key.withoutScheme();
        }
        if ((at = k.get("host")) != null && !at.bool()) {
            key.withoutHost();
        }
        if ((at = k.get("query")) != null) {
            if (at.raw() instanceof Boolean keep) {
                if (!keep) {
                    key.withoutQuery();
                }
            } else {
                String[] names = at.strings().toArray(new String[0]);
                at.run(() -> key.queryParams(names));
            }
        }
        if ((at = k.get("headers")) != null) {
            for (Value header : at.listOrOne()) {
                String name = header.string();
                header.run(() -> key.header(name));
            }
        }
        b.cacheKey(key.build());
    }

    private static void onOff(Value value, Route.Builder b, boolean on, boolean sharedCache) {
        if (on) {
            requireShared(value, sharedCache);
        }
        b.cache(on);
    }

    private static void requireShared(Value value, boolean sharedCache) {
        if (!sharedCache) {
            throw value.invalid("off, or a top-level cache: to use, such as cache: 64m");
        }
    }
}
