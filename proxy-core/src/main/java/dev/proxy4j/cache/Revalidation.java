package dev.proxy4j.cache;

import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending a stored response's validators to the backend (RFC 9111 4.3): in the foreground when the
 * response may not be used as it is, or in the background while it is served stale
 * (stale-while-revalidate, RFC 5861 3; one background revalidation per key at a time). A 304 that
 * selects the stored response updates its headers (3.2, 4.3.4); a full response replaces it; an
 * error or a 5xx is answered with the stored response when stale-if-error allows (RFC 5861 4).
 */
final class Revalidation {
    private static final Logger LOG = LoggerFactory.getLogger(Revalidation.class);

    private Revalidation() {
    }

    static CompletionStage<ProxyResponse> foreground(HttpCache cache, CacheFilter.Lookup at, CacheEntry entry,
            CacheControl rcc, boolean staleAllowed, String fwd, long ttl) {
        Instant requestTime = at.ctx().clock().instant();
        // A client's HEAD is validated with a HEAD (RFC 9111 4.3.5): a link checker's HEAD must not
        // make the proxy download the body it did not ask for.
        boolean head = at.request().method().equals("HEAD");
        ProxyRequest conditional = Validators.conditional(at.request(), entry.head().headers(), head ? "HEAD" : "GET");
        return at.next().proceed(conditional).handle((response, failure) -> {
            if (failure != null || response.status() >= 500) {
                long allowed = staleIfError(entry, rcc);
                if (staleAllowed && allowed >= 0 && -ttl <= allowed) {
                    if (response != null) {
                        response.body().fail(new IllegalStateException("stale-if-error: the stored response was used"));
                    }
                    return CompletableFuture.completedFuture(CachedAnswers.answer(at.request(), entry,
                            at.ctx().clock().instant(), cache.name(), CacheStatus.hit(ttl) + "; detail=stale-if-error",
                            List.of()));
                }
                if (failure != null) {
                    return CompletableFuture.<ProxyResponse>failedFuture(failure);
                }
                return CompletableFuture.completedFuture(response.toBuilder().headers(CacheStatus.append(
                        response.headers(), cache.name(), "fwd=" + fwd + "; fwd-status=" + response.status())).build());
            }
            if (response.status() == 304) {
                return notModified(cache, at, entry, response, requestTime, fwd, null);
            }
            if (head && response.status() == 200) {
                return headResponse(cache, at, entry, response, requestTime, fwd);
            }
            return CompletableFuture.completedFuture(
                    Storing.store(cache, at, rcc, response, requestTime, fwd, null, true));
        }).thenCompose(stage -> stage);
    }

    /** Revalidates in the background unless another request already does for this key. */
    static void background(HttpCache cache, CacheFilter.Lookup at, CacheEntry entry) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier = cache.lead(at.storeKey(), mine);
        if (earlier != null) {
            return;
        }
        Instant requestTime = at.ctx().clock().instant();
        // No body of the client's goes with it: the client's exchange may be over before this is sent.
        ProxyRequest conditional = Validators.conditional(at.request(), entry.head().headers())
                .toBuilder().method("GET").body(dev.proxy4j.http.Body.empty()).build();
        // Detached: the client has its stale answer and its connection back at once; the proxy's
        // own exchange with the backend goes on, bounded by the route's timeouts.
        at.next().proceedDetached(conditional).whenComplete((response, failure) -> {
            if (failure != null || response == null) {
                mine.complete(null);
                return;
            }
            if (response.status() == 304) {
                // The lead is let go once the update is in the store (mine), not when the 304 is read:
                // with a store whose puts take a while, a request in between would lead another.
                notModified(cache, at, entry, response, requestTime, "stale", mine).whenComplete((r, f) -> {
                    if (r != null) {
                        r.body().fail(new IllegalStateException("background revalidation: no client"));
                    }
                    if (f != null) {
                        mine.complete(null);
                    }
                });
                return;
            }
            if (response.status() >= 500) {
                response.body().fail(new IllegalStateException("background revalidation: a " + response.status()));
                mine.complete(null);
                return;
            }
            ProxyResponse stored = Storing.store(cache, at, CacheControl.none(), response, requestTime, "stale", mine,
                    true);
            // Nobody reads this body but the store: read it to the end (bounded by the largest object).
            // Storing lets the lead go (mine) once the entry is committed, or at once when it stores
            // nothing; a body that fails on the way aborts the store's writer, which lets it go too.
            Bodies.aggregate(stored.body(), cache.maxObjectBytes()).whenComplete((bytes, f) -> {
                if (f != null) {
                    mine.complete(null);
                }
            });
        });
    }

    /** {@code stored}, when given, completes once the store has taken the update (or the removal). */
    private static CompletionStage<ProxyResponse> notModified(HttpCache cache, CacheFilter.Lookup at,
            CacheEntry entry, ProxyResponse response, Instant requestTime, String fwd,
            @Nullable CompletableFuture<Void> stored) {
        // a 304 has no body; reading it to its end gives the connection back
        return Bodies.aggregate(response.body(), 0).handle((ignored, failure) -> {
            Instant responseTime = at.ctx().clock().instant();
            StoredHead head = entry.head();
            if (!Validators.selects(response.headers(), head.headers())) {
                // RFC 9111 4.3.4: a 304 about another response does not update this one
                CompletionStage<Boolean> removed = cache.store().remove(at.storeKey());
                if (stored != null) {
                    removed.whenComplete((gone, f) -> stored.complete(null));
                }
                return CachedAnswers.answer(at.request(), entry, responseTime, cache.name(),
                        "fwd=" + fwd + "; fwd-status=304; detail=validator-mismatch", List.of());
            }
            StoredHead updated = head.withHeaders(Validators.merge(head.headers(), response.headers()), requestTime,
                    responseTime.isBefore(requestTime) ? requestTime : responseTime);
            CacheEntry refreshed = new CacheEntry(updated, entry.body());
            cache.store().put(at.storeKey(), refreshed).whenComplete((ok, f) -> {
                if (f != null) {
                    LOG.warn("Cache store failed to update an entry", f);
                }
                if (stored != null) {
                    stored.complete(null);
                }
            });
            return CachedAnswers.answer(at.request(), refreshed, responseTime, cache.name(),
                    "fwd=" + fwd + "; fwd-status=304; stored", List.of());
        });
    }

    /**
     * A 200 to the HEAD that validated a stored GET (RFC 9111 4.3.5): when it describes the stored
     * response ({@link Validators#headMatches}), its fields update the stored ones as a 304's would
     * (3.2) and the entry's times are renewed; otherwise the stored response is no longer to be
     * trusted and is removed (the next GET fetches it). The client gets the backend's answer either way.
     */
    private static CompletionStage<ProxyResponse> headResponse(HttpCache cache, CacheFilter.Lookup at,
            CacheEntry entry, ProxyResponse response, Instant requestTime, String fwd) {
        return Bodies.aggregate(response.body(), 0).handle((ignored, failure) -> {
            Instant responseTime = at.ctx().clock().instant();
            StoredHead head = entry.head();
            String status;
            if (Validators.headMatches(response.headers(), head.headers(), entry.length())) {
                StoredHead updated = head.withHeaders(Validators.merge(head.headers(), response.headers()), requestTime,
                        responseTime.isBefore(requestTime) ? requestTime : responseTime);
                cache.store().put(at.storeKey(), new CacheEntry(updated, entry.body())).whenComplete((ok, f) -> {
                    if (f != null) {
                        LOG.warn("Cache store failed to update an entry", f);
                    }
                });
                status = "fwd=" + fwd + "; fwd-status=200; stored";
            } else {
                cache.store().remove(at.storeKey());
                status = "fwd=" + fwd + "; fwd-status=200; detail=head-mismatch";
            }
            return response.toBuilder().headers(CacheStatus.append(response.headers(), cache.name(), status))
                    .body(dev.proxy4j.http.Body.empty()).build();
        });
    }

    /** The larger of the response's and the request's stale-if-error, or -1 when neither has one. */
    private static long staleIfError(CacheEntry entry, CacheControl rcc) {
        long fromResponse = CacheControl.of(entry.head().headers()).seconds("stale-if-error").orElse(-1);
        long fromRequest = rcc.seconds("stale-if-error").orElse(-1);
        return Math.max(fromResponse, fromRequest);
    }

}
