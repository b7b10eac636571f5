package dev.proxy4j.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.proxy4j.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RateLimiter} in this process's memory: one {@code long} per key, changed by
 * compare-and-set (no lock), in a Caffeine cache bounded to {@link Builder#maxKeys(int) maxKeys}.
 *
 * <p>A key is forgotten once its quota's {@linkplain Quota#holdTime() hold time} has passed since
 * its last request: by then it is idle, so forgetting it changes no decision. When more keys than
 * {@code maxKeys} are active at once (a spray of addresses), the cache evicts some of them early;
 * such a key starts over with its whole burst. Memory stays bounded either way (about 100 bytes a
 * key). Decisions complete at once, on the calling thread.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    /** Keys kept at most by default: about 10 MB, as nginx's {@code limit_req_zone ... :10m} holds ~160,000. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final Ticker ticker;
    private final int maxKeys;
    private final Cache<String, State> states;

    private InMemoryRateLimiter(Builder b) {
        this.ticker = b.ticker;
        this.maxKeys = b.maxKeys;
        this.states = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfter(new HoldTime())
                .ticker(ticker::nanos)
                // Upkeep runs on the threads that use the cache, a little at a time: no pool needed.
                .executor(Runnable::run)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<RateLimitDecision> acquire(String key, Quota quota) {
        return CompletableFuture.completedFuture(decide(key, quota));
    }

    /** The decision, made at once. */
    public RateLimitDecision decide(String key, Quota quota) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(quota, "quota");
        // Read the time before the cache does: the entry's hold then starts no earlier than now.
        long now = ticker.nanos();
        State state = states.get(key, k -> new State(now, quota.holdTime().toNanos()));
        state.holdAtLeast(quota.holdTime().toNanos());
        long interval = quota.intervalNanos();
        long burst = quota.burst() * interval;
        for (;;) {
            long tat = state.get();
            long ahead = Math.max(0, tat - now);
            if (ahead > burst) {
                return RateLimitDecision.rejected(Duration.ofNanos(ahead - burst), Duration.ofNanos(ahead));
            }
            long next = now + ahead + interval;
            if (state.compareAndSet(tat, next)) {
                return RateLimitDecision.allowed((burst - ahead) / interval, Duration.ofNanos(ahead),
                        Duration.ofNanos(ahead + interval));
            }
        }
    }

    /** Keys held now, after removing those whose hold time has passed. */
    public long keyCount() {
        states.cleanUp();
        return states.estimatedSize();
    }

    public int maxKeys() {
        return maxKeys;
    }

    @Override
    public String toString() {
        return "InMemoryRateLimiter[maxKeys=" + maxKeys + ']';
    }

    /** A key's theoretical arrival time, and how long after a request it must be kept. */
    private static final class State extends AtomicLong {
        private volatile long holdNanos;

        State(long tat, long holdNanos) {
            super(tat);
            this.holdNanos = holdNanos;
        }

        void holdAtLeast(long nanos) {
            if (nanos > holdNanos) {
                holdNanos = nanos;
            }
        }
    }

    /** Every use of a key keeps it for its hold time from then. */
    private static final class HoldTime implements Expiry<String, State> {
        @Override
        public long expireAfterCreate(String key, State state, long currentTime) {
            return state.holdNanos;
        }

        @Override
        public long expireAfterUpdate(String key, State state, long currentTime, long currentDuration) {
            return state.holdNanos;
        }

        @Override
        public long expireAfterRead(String key, State state, long currentTime, long currentDuration) {
            return state.holdNanos;
        }
    }

    /** Builds an {@link InMemoryRateLimiter}. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private int maxKeys = DEFAULT_MAX_KEYS;

        private Builder() {
        }

        /** Keys held at most; default {@value #DEFAULT_MAX_KEYS}. */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: > 0)");
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** The time source; a manual one in tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public InMemoryRateLimiter build() {
            return new InMemoryRateLimiter(this);
        }
    }
}
