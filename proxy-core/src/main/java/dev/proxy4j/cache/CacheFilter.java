package dev.proxy4j.cache;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.CacheResult;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The cache on a route (RFC 9111 for a shared cache): answers GET and HEAD from the store when it may,
 * revalidates, stores what may be stored as it streams to the client, invalidates on unsafe methods.
 * See docs/caching.md for each rule.
 */
final class CacheFilter implements ProxyFilter {

    private final HttpCache cache;
    private final CacheKey keys;
    private final Invalidation invalidation;

    CacheFilter(HttpCache cache, CacheKey keys) {
        this.cache = cache;
        this.keys = keys;
        this.invalidation = new Invalidation(cache.store(), keys);
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD")) {
            String key = keys.of(request);
            return Loop.back(ctx, cache.store().get(key))
                    .thenCompose(found -> resolve(new Lookup(ctx, request, next, key), found.orElse(null), false))
                    .thenApply(response -> logged(ctx, response));
        }
        if (method.equals("PURGE") && cache.purgeMethod()) {
            return Loop.back(ctx, cache.store().remove(keys.of(request)))
                    .thenApply(removed -> ProxyResponse.text(removed ? 200 : 404, removed ? "purged\n" : "not cached\n"));
        }
        if (method.equals("OPTIONS") || method.equals("TRACE")) {
            return next.proceed(request);
        }
        // RFC 9111 4.4: an unsafe method's non-error response invalidates the target and Location/Content-Location.
        return next.proceed(request).thenApply(response -> {
            if (response.status() >= 200 && response.status() < 400) {
                invalidation.invalidate(request, response.headers());
            }
            return response;
        });
    }

    /** The request log gets what this cache did, from its own Cache-Status member on the answer. */
    private ProxyResponse logged(RequestContext ctx, ProxyResponse response) {
        // This cache's member (the last, when several), found without splitting every field: once per cached answer.
        String mine = null;
        String name = cache.name();
        for (String field : response.headers().getAll(CacheStatus.FIELD)) {
            int start = 0;
            while (true) {
                int comma = field.indexOf(',', start);
                int from = start;
                int to = comma < 0 ? field.length() : comma;
                while (from < to && Character.isWhitespace(field.charAt(from))) {
                    from++;
                }
                while (to > from && Character.isWhitespace(field.charAt(to - 1))) {
                    to--;
                }
                int after = from + name.length();
                if (after <= to && field.startsWith(name, from) && (after == to || field.charAt(after) == ';')) {
                    mine = field.substring(from, to);
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        if (mine != null) {
            ctx.cacheResult(CacheResult.of(mine));
        }
        return response;
    }

    /** The primary entry found: a response, a Vary index (then the variant is looked up), or nothing. */
    private CompletionStage<ProxyResponse> resolve(Lookup at, @Nullable CacheEntry found, boolean collapsed) {
        if (found != null && found.head().isVaryIndex()) {
            String variantKey = Variants.key(at.key, found.head().headers(), at.request.headers());
            return Loop.back(at.ctx, cache.store().get(variantKey)).thenCompose(variant -> {
                CacheEntry entry = variant.orElse(null);
                return decide(at.withStoreKey(variantKey, found), entry, entry == null ? "vary-miss" : null, collapsed);
            });
        }
        return decide(at.withStoreKey(at.key, null), found, found == null ? "uri-miss" : null, collapsed);
    }

    private CompletionStage<ProxyResponse> decide(Lookup at, @Nullable CacheEntry entry, @Nullable String miss,
            boolean collapsed) {
        Instant now = at.ctx.clock().instant();
        CacheControl rcc = CacheControl.ofRequest(at.request.headers());
        if (entry == null) {
            if (rcc.has("only-if-cached")) {
                return CompletableFuture.completedFuture(gatewayTimeout("only-if-cached"));
            }
            return collapsed || !collapsible(at.request) ? fetch(at, rcc, miss, null) : collapse(at, rcc, miss);
        }
        StoredHead head = entry.head();
        CacheControl cc = CacheControl.of(head.headers());
        long lifetime = Freshness.lifetime(head, cache.heuristicCap());
        long age = Freshness.currentAge(head, now);
        long ttl = lifetime - age;
        boolean staleAllowed = !cc.has("must-revalidate") && !cc.has("proxy-revalidate") && !cc.has("s-maxage")
                && !cc.has("no-cache");
        String forced = null;
        if (rcc.has("no-cache")) {
            forced = "request";
        } else if (cc.has("no-cache") && cc.fieldNames("no-cache").isEmpty()) {
            forced = "stale";
        } else if (rcc.has("max-age") && age > rcc.seconds("max-age").orElse(0)) {
            forced = "request";
        } else if (rcc.has("min-fresh") && ttl < rcc.seconds("min-fresh").orElse(0)) {
            forced = "request";
        }
        if (forced == null) {
            if (ttl > 0) {
                return hit(at, entry, now, CacheStatus.hit(ttl), cc.fieldNames("no-cache"));
            }
            if (staleAllowed && rcc.has("max-stale")
                    && (rcc.value("max-stale") == null || -ttl <= rcc.seconds("max-stale").orElse(0))) {
                return hit(at, entry, now, CacheStatus.hit(ttl) + "; detail=max-stale", cc.fieldNames("no-cache"));
            }
        }
        if (rcc.has("only-if-cached")) {
            return CompletableFuture.completedFuture(gatewayTimeout("only-if-cached"));
        }
        long swr = cc.seconds("stale-while-revalidate").orElse(-1);
        if (forced == null && staleAllowed && swr >= 0 && -ttl <= swr && Validators.hasValidator(head.headers())) {
            Revalidation.background(cache, at, entry);
            return hit(at, entry, now, CacheStatus.hit(ttl) + "; detail=stale-while-revalidate", List.of());
        }
        return Revalidation.foreground(cache, at, entry, rcc, staleAllowed, forced == null ? "stale" : forced, ttl);
    }

    private CompletionStage<ProxyResponse> hit(Lookup at, CacheEntry entry, Instant now, String status,
            List<String> withheld) {
        return CompletableFuture.completedFuture(
                CachedAnswers.answer(at.request, entry, now, cache.name(), status, withheld));
    }

    /** Requests that another request's stored response can answer: no range, no conditional of their own. */
    private static boolean collapsible(ProxyRequest request) {
        return request.method().equals("GET") && !request.headers().contains("Range");
    }

    /** Leads the fetch for the key, or waits (bounded) for the one in flight and looks again. */
    private CompletionStage<ProxyResponse> collapse(Lookup at, CacheControl rcc, @Nullable String miss) {
        if (cache.collapseTimeout().isZero()) {
            return fetch(at, rcc, miss, null);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier = cache.lead(at.storeKey, mine);
        if (earlier == mine) {
            return fetch(at, rcc, miss, null);
        }
        if (earlier == null) {
            // Whatever happens to this fetch, the waiters are released in the end.
            at.ctx.eventLoop().schedule(cache.collapseTimeout(), () -> mine.complete(null));
            return fetch(at, rcc, miss, mine);
        }
        CompletableFuture<Void> waited = new CompletableFuture<>();
        var timer = at.ctx.eventLoop().schedule(cache.collapseTimeout(), () -> waited.complete(null));
        earlier.whenComplete((ok, failure) -> {
            timer.cancel();
            waited.complete(null);
        });
        return Loop.back(at.ctx, waited)
                .thenCompose(ignored -> Loop.back(at.ctx, cache.store().get(at.key)))
                .thenCompose(found -> resolve(at, found.orElse(null), true))
                .thenApply(response -> response.headers().get(CacheStatus.FIELD) != null
                        && response.headers().get(CacheStatus.FIELD).contains("; hit")
                        ? response.toBuilder().headers(response.headers().toBuilder()
                                .set(CacheStatus.FIELD, response.headers().get(CacheStatus.FIELD) + "; collapsed")
                                .build()).build()
                        : response);
    }

    /** To the backend; the response is stored when it may be. {@code done} is completed once storing ends. */
    CompletionStage<ProxyResponse> fetch(Lookup at, CacheControl rcc, @Nullable String miss,
            @Nullable CompletableFuture<Void> done) {
        Instant requestTime = at.ctx.clock().instant();
        CompletionStage<ProxyResponse> sent = at.next.proceed(at.request);
        if (done != null) {
            sent = sent.whenComplete((response, failure) -> {
                if (failure != null) {
                    done.complete(null);
                }
            });
        }
        return sent.thenApply(response -> Storing.store(cache, at, rcc, response, requestTime,
                miss == null ? "miss" : miss, done, false));
    }

    private ProxyResponse gatewayTimeout(String why) {
        ProxyResponse text = ProxyResponse.text(504, "not in the cache\n");
        return text.toBuilder().headers(CacheStatus.append(text.headers(), cache.name(), "detail=" + why)).build();
    }

    @Override
    public String toString() {
        return "CacheFilter[" + keys + ", " + cache + ']';
    }

    /** One request's lookup: where it is and what it found. */
    record Lookup(RequestContext ctx, ProxyRequest request, FilterChain next, String key, String storeKey,
            @Nullable CacheEntry varyIndex) {

        Lookup(RequestContext ctx, ProxyRequest request, FilterChain next, String key) {
            this(ctx, request, next, key, key, null);
        }

        Lookup withStoreKey(String storeKey, @Nullable CacheEntry varyIndex) {
            return new Lookup(ctx, request, next, key, storeKey, varyIndex);
        }
    }

    /** Completions of store stages brought back to the request's loop. */
    static final class Loop {
        private Loop() {
        }

        static <T> CompletionStage<T> back(RequestContext ctx, CompletionStage<T> stage) {
            CompletableFuture<T> future = stage.toCompletableFuture();
            if (future.isDone() && ctx.eventLoop().inEventLoop()) {
                return future;
            }
            return future.thenApplyAsync(value -> value, ctx.eventLoop());
        }
    }

}
