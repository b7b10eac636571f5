package dev.proxy4j.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An upstream's retry budget, in Envoy's manner ({@code retry_budget}): a retry is granted only
 * while, counting it, the retries in flight do not exceed the larger of the policy's
 * {@link RetryPolicy#minRetryConcurrency()} and its {@link RetryPolicy#budgetPercent()} of the
 * attempts in flight. It keeps a failing upstream from being hit by a storm of retries on top of
 * its load, where a fixed number of attempts per request would multiply the load by it.
 *
 * <p>One per {@link Upstream}, counted with atomics; {@link Upstream#select} and
 * {@link Upstream#retry} take from it and {@link Selection#complete} gives back, so a granted
 * retry is released when its attempt ends. Read it for metrics.
 */
public final class RetryBudget {

    private final double fraction;
    private final int minRetryConcurrency;
    /** Counted on every request by every event loop, read only when retrying: striped, so loops do not contend. */
    private final LongAdder activeRequests = new LongAdder();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    RetryBudget(RetryPolicy policy) {
        this.fraction = policy.budgetPercent() / 100.0;
        this.minRetryConcurrency = policy.minRetryConcurrency();
    }

    /** Attempts to the upstream's endpoints in flight, first attempts and retries together. */
    public int activeRequests() {
        return (int) activeRequests.sum();
    }

    /** Retries in flight. */
    public int activeRetries() {
        return activeRetries.get();
    }

    /**
     * Retries the policy called for that the budget refused, since the upstream was built: each is
     * a request whose client got its last attempt's answer at once (its request log says
     * {@link dev.proxy4j.log.RequestLog#retryBudgetSpent()}). A count that grows says the upstream
     * fails more requests than the budget lets retries hide.
     */
    public long refused() {
        return refused.sum();
    }

    /** How many retries may be in flight with the attempts in flight now. */
    public int limit() {
        return Math.max(minRetryConcurrency, (int) (fraction * activeRequests.sum()));
    }

    /** Takes a retry from the budget; false when the budget is spent. The caller gives it back. */
    boolean tryAcquire() {
        while (true) {
            int retries = activeRetries.get();
            if (retries + 1 > limit()) {
                refused.increment();
                return false;
            }
            if (activeRetries.compareAndSet(retries, retries + 1)) {
                return true;
            }
        }
    }

    /** Gives back a retry that found no endpoint. */
    void release() {
        activeRetries.decrementAndGet();
    }

    void requestStarted() {
        activeRequests.increment();
    }

    void requestEnded(boolean retry) {
        activeRequests.decrement();
        if (retry) {
            activeRetries.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "RetryBudget[activeRetries=" + activeRetries() + ", activeRequests=" + activeRequests()
                + ", limit=" + limit() + ", refused=" + refused() + ']';
    }
}
