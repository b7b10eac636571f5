package dev.proxy4j.ratelimit;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit as nginx's {@code limit_req}: per {@linkplain RateLimitKey key}, a {@link Rate} and a
 * burst; an idle key is admitted {@code 1 + burst} requests at once, then one per interval. By
 * default (neither {@link Builder#nodelay() nodelay} nor {@link Builder#delay(int) delay}) requests
 * ahead of the rate but within the burst are delayed until their turn, on the request's event loop
 * (a timer, no thread waits); with {@code nodelay} they go on at once; with {@code delay(N)} the
 * first {@code N} go on at once and the rest are delayed. Requests beyond the burst get 429 with
 * {@code Retry-After} and the IETF {@code RateLimit-Policy} / {@code RateLimit} fields, and are
 * not counted. In {@linkplain Builder#dryRun(boolean) dry-run} mode nothing is delayed or refused:
 * what would have been is logged at INFO by this class's logger.
 *
 * <pre>{@code
 * RateLimit.builder().rate("10r/s").burst(20).nodelay().key(RateLimitKey.clientIp()).build()
 * }</pre>
 *
 * Several limits on one route are several filters, each with its own name; server-wide (before
 * routing) or on a route, as any filter. When the store fails the request is let through (the
 * failure logged at WARN): a limit is protection, not a reason for an outage.
 */
public final class RateLimit implements ProxyFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimit.class);

    private final String name;
    private final Quota quota;
    private final int delay;
    private final RateLimitKey key;
    private final RateLimiter limiter;
    private final boolean dryRun;
    private final boolean responseHeaders;
    private final String policyField;

    private RateLimit(Builder b) {
        this.quota = new Quota(Objects.requireNonNull(b.rate, "rate"), b.burst);
        this.key = b.key;
        this.name = b.name != null ? b.name : key + "-" + b.rate;
        this.delay = b.delay;
        this.limiter = b.limiter != null ? b.limiter : InMemoryRateLimiter.builder().maxKeys(b.maxKeys).build();
        this.dryRun = b.dryRun;
        this.responseHeaders = b.responseHeaders;
        this.policyField = RateLimitFields.policy(name, quota.rate());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A limit written as the launcher's {@code --rate-limit} takes it:
     * {@code RATE[,burst=N][,nodelay|,delay=N][,key=ip|header:NAME|route|path|global][,dryrun]},
     * e.g. {@code 10r/s,burst=20,nodelay,key=header:X-Api-Key}.
     */
    public static Builder parse(String spec) {
        return RateLimitSpec.parse(spec);
    }

    public String name() {
        return name;
    }

    public Quota quota() {
        return quota;
    }

    /** Requests ahead of the rate that go on without delay: 0 by default, {@link Integer#MAX_VALUE} for nodelay. */
    public int delay() {
        return delay;
    }

    public boolean nodelay() {
        return delay == Integer.MAX_VALUE;
    }

    public RateLimitKey key() {
        return key;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        Optional<String> k = key.key(ctx, request);
        if (k.isEmpty()) {
            return next.proceed(request);
        }
        String storeKey = name + '\n' + k.get();
        return limiter.acquire(storeKey, quota)
                .handle((decision, failure) -> decision != null ? decision : failedOpen(failure))
                .thenCompose(decision -> decision == null ? next.proceed(request)
                        : admit(ctx, request, next, k.get(), decision));
    }

    private @Nullable RateLimitDecision failedOpen(Throwable failure) {
        LOG.warn("rate limit {}: the store failed, request let through", name, failure);
        return null;
    }

    private CompletionStage<ProxyResponse> admit(RequestContext ctx, ProxyRequest request, FilterChain next, String k,
            RateLimitDecision decision) {
        if (!decision.allowed()) {
            if (dryRun) {
                LOG.info("rate limit {} (dry run): would reject {} from {}, retry after {}", name, k, ctx.clientAddress(),
                        decision.retryAfter());
                return next.proceed(request);
            }
            LOG.debug("rate limit {}: rejected {} from {}", name, k, ctx.clientAddress());
            ctx.refused(dev.proxy4j.log.Refusal.RATE_LIMITED);
            return CompletableFuture.completedFuture(RateLimitFields.rejection(policyField, name, decision));
        }
        long wait = waitNanos(decision);
        if (wait == 0) {
            return withFields(next.proceed(request), decision);
        }
        if (dryRun) {
            LOG.info("rate limit {} (dry run): would delay {} from {} by {}", name, k, ctx.clientAddress(),
                    Duration.ofNanos(wait));
            return next.proceed(request);
        }
        CompletableFuture<ProxyResponse> delayed = new CompletableFuture<>();
        ctx.eventLoop().schedule(Duration.ofNanos(wait), () -> {
            try {
                next.proceed(request).whenComplete((response, failure) -> {
                    if (failure != null) {
                        delayed.completeExceptionally(failure);
                    } else {
                        delayed.complete(response);
                    }
                });
            } catch (RuntimeException e) {
                delayed.completeExceptionally(e);
            }
        });
        return withFields(delayed, decision);
    }

    /** How long nginx would hold this admitted request: its place in the queue beyond the first {@code delay}. */
    long waitNanos(RateLimitDecision decision) {
        if (nodelay()) {
            return 0;
        }
        long free = delay * quota.intervalNanos();
        return Math.max(0, decision.queued().toNanos() - free);
    }

    private CompletionStage<ProxyResponse> withFields(CompletionStage<ProxyResponse> response, RateLimitDecision decision) {
        if (!responseHeaders) {
            return response;
        }
        return response.thenApply(r -> RateLimitFields.add(r, policyField, name, decision));
    }

    @Override
    public String toString() {
        return "RateLimit[" + name + ", " + quota.rate() + ", burst=" + quota.burst()
                + (nodelay() ? ", nodelay" : delay > 0 ? ", delay=" + delay : "") + ", key=" + key
                + (dryRun ? ", dryRun" : "") + ']';
    }

    /** Builds a {@link RateLimit}. The rate is required; the rest has nginx's defaults. */
    public static final class Builder {
        private @Nullable Rate rate;
        private int burst;
        private int delay;
        private RateLimitKey key = RateLimitKey.clientIp();
        private @Nullable String name;
        private @Nullable RateLimiter limiter;
        private int maxKeys = InMemoryRateLimiter.DEFAULT_MAX_KEYS;
        private boolean dryRun;
        private boolean responseHeaders;

        private Builder() {
        }

        /** Required. */
        public Builder rate(Rate rate) {
            this.rate = Objects.requireNonNull(rate, "rate");
            return this;
        }

        /** {@code 10r/s} or {@code 600r/m}. */
        public Builder rate(String rate) {
            return rate(Rate.parse(rate));
        }

        /** Requests a key may be ahead of the rate; default 0 (nginx's default). */
        public Builder burst(int burst) {
            if (burst < 0 || burst > Quota.MAX_BURST) {
                throw new IllegalArgumentException("burst: " + burst + " (expected: 0.." + Quota.MAX_BURST + ")");
            }
            this.burst = burst;
            return this;
        }

        /** Requests within the burst go on at once instead of being delayed to the rate. */
        public Builder nodelay() {
            this.delay = Integer.MAX_VALUE;
            return this;
        }

        /** The first {@code requests} ahead of the rate go on at once, the rest of the burst is delayed; default 0. */
        public Builder delay(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("delay: " + requests + " (expected: >= 0)");
            }
            this.delay = requests;
            return this;
        }

        /** What requests are counted by; default the client's address. */
        public Builder key(RateLimitKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The name in logs and in the RateLimit fields; default the key and the rate, as {@code ip-10r/s}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException("name: \"" + name + "\" (expected: printable ASCII, no space, quote or backslash)");
            }
            this.name = name;
            return this;
        }

        /** The store; default a new {@link InMemoryRateLimiter} for this limit alone. */
        public Builder limiter(RateLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter, "limiter");
            return this;
        }

        /** Keys the default in-memory store holds at most; default {@value InMemoryRateLimiter#DEFAULT_MAX_KEYS}. */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: > 0)");
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** Count and log, but never delay or refuse (nginx's {@code limit_req_dry_run}); default off. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Also send {@code RateLimit-Policy} and {@code RateLimit} on admitted responses; default only on 429. */
        public Builder responseHeaders(boolean on) {
            this.responseHeaders = on;
            return this;
        }

        /** @throws IllegalStateException when no rate was given */
        public RateLimit build() {
            if (rate == null) {
                throw new IllegalStateException("rate: missing (expected: a rate such as 10r/s or 600r/m)");
            }
            return new RateLimit(this);
        }
    }
}
