package dev.proxy4j.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * The store behind rate limits: one generic-cell-rate-algorithm timestamp (the key's "theoretical
 * arrival time") per key. Asynchronous so that a shared store (Redis, one script per request with
 * the server's clock) fits beside the {@linkplain #inMemory() in-memory} one; the testkit's
 * {@code RateLimiterContract} states the rules every store must keep.
 *
 * <p>The algorithm, with {@code T} the quota's interval, {@code B} its burst and {@code tat} the
 * key's timestamp (the present time for an unknown key): a request at {@code now} is ahead of the
 * rate by {@code e = max(0, tat - now)}; if {@code e > B*T} it is rejected and nothing changes,
 * otherwise it is admitted and {@code tat = now + e + T}. That is exactly nginx's
 * {@code limit_req} accounting ({@code excess = e / T}).
 *
 * <p>A store keeps time itself (the in-memory one with a {@link dev.proxy4j.time.Ticker}); its
 * stages may complete on any thread and never on a blocked one; the filter brings the request back
 * to its loop.
 */
public interface RateLimiter {

    /**
     * Counts one request of {@code key} against {@code quota} when there is room. A full key is a
     * rejecting decision, not a failure; the stage fails only when the store cannot answer.
     */
    CompletionStage<RateLimitDecision> acquire(String key, Quota quota);

    /** A bounded in-memory store with the defaults of {@link InMemoryRateLimiter.Builder}. */
    static RateLimiter inMemory() {
        return InMemoryRateLimiter.builder().build();
    }
}
