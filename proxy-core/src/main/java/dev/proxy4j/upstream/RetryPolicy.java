package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * When the proxy tries a request again, how long it waits first, and how much retrying an upstream
 * allows at once. Immutable and thread-safe; {@link #builder()} and {@link #toBuilder()} make one.
 *
 * <p>A retry needs all of:
 * <ul>
 *   <li>fewer than {@link #maxAttempts()} attempts so far (the first counted);</li>
 *   <li>no byte of the request body sent that the adapter cannot send again (it keeps up to
 *       {@link #maxReplayBodyBytes()} of a body in memory to replay it);</li>
 *   <li>a last outcome that is a {@linkplain #retryOnFailures() retryable failure} or a
 *       {@linkplain #retryOnStatuses() retryable status}, whose response never reached the client;</li>
 *   <li>a method it may repeat: any method after a failure that sent nothing
 *       ({@link UpstreamFailure.Kind#nothingSent()}), while {@link #anyMethodWhenNothingSent()};
 *       otherwise an {@linkplain #idempotentMethods() idempotent} one (RFC 9110, 9.2.2);</li>
 *   <li>a Retry-After on the response, if any, no longer than {@link #maxRetryAfter()};</li>
 *   <li>room in the upstream's {@link RetryBudget}.</li>
 * </ul>
 * A retry goes to an endpoint not tried yet while one is left, otherwise to one tried already,
 * after {@link #delay(int, boolean, String, Clock, double) a backoff}: exponential with full jitter,
 * or the response's Retry-After; none for the first retry when it goes to an endpoint not tried yet.
 *
 * <p>The defaults are the safe set: what cannot have reached a backend (a refused or timed-out
 * connection) for any method; a connection reset before the response, no response headers in
 * time, and 502, 503 and 504 for idempotent methods only; up to 3 attempts in all. That is
 * nginx's {@code proxy_next_upstream error timeout http_502 http_503 http_504} (which never
 * repeats a non-idempotent request already sent), with Envoy's backoff (25 ms base, 250 ms
 * most) and its default retry budget of 20% and 3.
 */
public final class RetryPolicy {

    /**
     * 3 attempts in all, the first counted: two retries, each on an endpoint not yet tried. nginx
     * tries every server of the upstream ({@code proxy_next_upstream_tries 0}); Envoy retries once.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The most attempts a policy may allow. */
    public static final int MAX_ATTEMPTS = 10;
    /**
     * The failures that sent nothing (the connection was refused or timed out, or no endpoint was
     * left), retried for any method; and a connection reset before the response headers and no
     * response headers in time, retried for idempotent methods (nginx's {@code error timeout}).
     */
    public static final Set<UpstreamFailure.Kind> DEFAULT_RETRY_ON_FAILURES = defaultFailures();
    /** 502, 503 and 504, for idempotent methods: the gateway statuses another endpoint may not give. */
    public static final Set<Integer> DEFAULT_RETRY_ON_STATUSES =
            Collections.unmodifiableSet(new TreeSet<>(Set.of(502, 503, 504)));
    /** No timeout per attempt of its own: the route's timeouts hold for each attempt. */
    public static final Duration DEFAULT_PER_TRY_TIMEOUT = Duration.ZERO;
    /** 25 ms, as Envoy's {@code retry_back_off.base_interval}. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
    /** 250 ms, as Envoy's default {@code max_interval} (10 times the base). */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(250);
    /**
     * 1 second: a response asking for a longer wait goes to the client as it is (with its
     * Retry-After), rather than holding the client that long.
     */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(1);
    /**
     * 64 KiB of a request body kept in memory to send it again; a body longer than that is not
     * retried once some of it went (Envoy's per-request buffer limit plays the same part).
     */
    public static final long DEFAULT_MAX_REPLAY_BODY_BYTES = 64 * 1024;
    /** RFC 9110's idempotent methods. */
    public static final Set<String> DEFAULT_IDEMPOTENT_METHODS =
            Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE")));
    /** 20% of the attempts in flight, as Envoy's {@code retry_budget.budget_percent}. */
    public static final double DEFAULT_BUDGET_PERCENT = 20.0;
    /** 3 retries in flight whatever the load, as Envoy's {@code retry_budget.min_retry_concurrency}. */
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    private static final RetryPolicy DEFAULTS = new Builder().build();

    private final int maxAttempts;
    private final Set<UpstreamFailure.Kind> retryOnFailures;
    private final Set<Integer> retryOnStatuses;
    /** {@link #retryOnStatuses} as bits: asked once per response. */
    private final BitSet retryOnStatusBits;
    private final Set<String> idempotentMethods;
    private final boolean anyMethodWhenNothingSent;
    private final double budgetPercent;
    private final int minRetryConcurrency;
    private final Duration perTryTimeout;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration maxRetryAfter;
    private final long maxReplayBodyBytes;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        EnumSet<UpstreamFailure.Kind> failures = EnumSet.noneOf(UpstreamFailure.Kind.class);
        failures.addAll(b.retryOnFailures);
        this.retryOnFailures = Collections.unmodifiableSet(failures);
        this.retryOnStatuses = Collections.unmodifiableSet(new TreeSet<>(b.retryOnStatuses));
        BitSet statuses = new BitSet();
        retryOnStatuses.forEach(status -> {
            if (status >= 0) {
                statuses.set(status);
            }
        });
        this.retryOnStatusBits = statuses;
        this.idempotentMethods = Collections.unmodifiableSet(new LinkedHashSet<>(b.idempotentMethods));
        this.anyMethodWhenNothingSent = b.anyMethodWhenNothingSent;
        this.budgetPercent = b.budgetPercent;
        this.minRetryConcurrency = b.minRetryConcurrency;
        this.perTryTimeout = b.perTryTimeout;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.maxRetryAfter = b.maxRetryAfter;
        this.maxReplayBodyBytes = b.maxReplayBodyBytes;
    }

    /** The policy with every default. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never retries: one attempt. */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    /** The defaults with {@code retries} attempts after the first (0..9): the launcher's {@code --retries N}. */
    public static RetryPolicy ofRetries(int retries) {
        return builder().retries(retries).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Whether to try {@code request} again on another endpoint after {@code lastOutcome}, as far
     * as this policy goes; the budget and the endpoints left are {@link Upstream#retry}'s to check.
     * A retry on a status means the adapter discards that response, which the client never sees.
     *
     * @param attemptsSoFar attempts made, the one that just ended included: 1 after the first
     * @param bodySentAndNotReplayable true when some of the request body has gone to a backend
     *     and the adapter cannot send it again from the start
     * @throws IllegalArgumentException when {@code attemptsSoFar} is below 1
     */
    public boolean shouldRetry(ProxyRequest request, int attemptsSoFar, Outcome lastOutcome,
            boolean bodySentAndNotReplayable) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(lastOutcome, "lastOutcome");
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("attemptsSoFar: " + attemptsSoFar + " (expected: >= 1)");
        }
        if (attemptsSoFar >= maxAttempts || bodySentAndNotReplayable) {
            return false;
        }
        UpstreamFailure.Kind failure = lastOutcome.failure();
        if (failure != null) {
            if (!retryOnFailures.contains(failure)) {
                return false;
            }
            return (failure.nothingSent() && anyMethodWhenNothingSent) || isIdempotent(request.method());
        }
        return retriesOnStatus(lastOutcome.status()) && isIdempotent(request.method());
    }

    /**
     * Whether an attempt that failed with {@code lastOutcome} on a kept-alive connection is sent
     * once more to the same endpoint on a new connection, at once, outside {@link #maxAttempts()}
     * and the retry budget, and without counting against the endpoint (Go's transport, RFC 9112
     * 9.3.1). A backend may close an idle kept-alive connection at any moment (its keep-alive
     * timeout, a graceful reload) and the request the proxy sent on it as it closed was never
     * read: the connection, not the endpoint, failed. True when all hold:
     * <ul>
     *   <li>the policy retries at all ({@code maxAttempts > 1});</li>
     *   <li>the failure is {@code RESET_BEFORE_HEADERS} (no byte of a response came) on a
     *       connection that had already carried a response ({@code reusedConnection});</li>
     *   <li>the method is {@linkplain #idempotentMethods() idempotent}, or no byte of the body
     *       went ({@code bodyStarted} false);</li>
     *   <li>the body can be sent again ({@code bodySentAndNotReplayable} false).</li>
     * </ul>
     * The adapter does this once per attempt: a reset on the new connection is a failure of the
     * endpoint, for {@link #shouldRetry} and outlier detection as any other.
     */
    public boolean retryOnNewConnection(ProxyRequest request, Outcome lastOutcome, boolean reusedConnection,
            boolean bodyStarted, boolean bodySentAndNotReplayable) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(lastOutcome, "lastOutcome");
        return maxAttempts > 1 && reusedConnection && lastOutcome.failure() == UpstreamFailure.Kind.RESET_BEFORE_HEADERS
                && !bodySentAndNotReplayable && (!bodyStarted || isIdempotent(request.method()));
    }

    private boolean isIdempotent(String method) {
        return idempotentMethods.contains(method);
    }

    /**
     * How long to wait before the retry that follows {@code attemptsSoFar} attempts, knowing where
     * it goes. The <em>first</em> retry, when it goes to an endpoint this request has not tried,
     * goes at once, whatever the response's Retry-After said (nginx's {@code proxy_next_upstream}):
     * what failed was one endpoint, the retry avoids it, and the client's connection is not held
     * for a wait that protects nobody. Any other retry (to an endpoint tried already, or after two
     * attempts or more, when the trouble looks wider than one endpoint) waits as
     * {@link #delay(int, String, Clock, double)} says.
     *
     * @param toUntriedEndpoint true when the retry goes to an endpoint this request has not tried yet
     * @throws IllegalArgumentException when {@code attemptsSoFar} is below 1 or {@code random} outside 0..1
     */
    public Optional<Duration> delay(int attemptsSoFar, boolean toUntriedEndpoint, @Nullable String retryAfter,
            Clock clock, double random) {
        Optional<Duration> wait = delay(attemptsSoFar, retryAfter, clock, random);
        return toUntriedEndpoint && attemptsSoFar == 1 ? Optional.of(Duration.ZERO) : wait;
    }

    /**
     * How long to wait before the retry that follows {@code attemptsSoFar} attempts; empty when the
     * response's Retry-After asks for longer than {@link #maxRetryAfter()}, and so no retry is made.
     * The backoff is Envoy's exponential one with full jitter: a wait drawn evenly from 0 to
     * {@code (2^n - 1) x backoffBase} before the n-th retry, and never over {@code backoffMax}; a
     * Retry-After (seconds, or an HTTP-date read against {@code clock}) makes the wait at least that.
     *
     * @param retryAfter the Retry-After of the response being retried, or null when it had none
     *     (or the attempt failed without a response); an unreadable value is ignored
     * @param random a number drawn evenly from 0 (included) to 1 (excluded): the jitter
     * @throws IllegalArgumentException when {@code attemptsSoFar} is below 1 or {@code random} outside 0..1
     */
    public Optional<Duration> delay(int attemptsSoFar, @Nullable String retryAfter, Clock clock, double random) {
        Objects.requireNonNull(clock, "clock");
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("attemptsSoFar: " + attemptsSoFar + " (expected: >= 1)");
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random: " + random + " (expected: 0 (included) to 1 (excluded))");
        }
        Optional<Duration> asked = retryAfter == null ? Optional.empty() : RetryAfter.parse(retryAfter, clock);
        if (asked.isPresent() && asked.get().compareTo(maxRetryAfter) > 0) {
            return Optional.empty();
        }
        long baseNanos = backoffBase.toNanos();
        long maxNanos = backoffMax.toNanos();
        // (2^n - 1) x base, n the retry's number, capped before it can overflow.
        int n = Math.min(attemptsSoFar, 30);
        double ceiling = Math.min((double) maxNanos, ((1L << n) - 1) * (double) baseNanos);
        Duration backoff = Duration.ofNanos((long) (ceiling * random));
        return Optional.of(asked.filter(a -> a.compareTo(backoff) > 0).orElse(backoff));
    }

    /** Attempts in all, the first counted; 1 is no retry. Default: {@value #DEFAULT_MAX_ATTEMPTS}. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The failures that may be retried. Default: {@link #DEFAULT_RETRY_ON_FAILURES}. */
    public Set<UpstreamFailure.Kind> retryOnFailures() {
        return retryOnFailures;
    }

    /** The response statuses that may be retried, for idempotent methods. Default: none. */
    public Set<Integer> retryOnStatuses() {
        return retryOnStatuses;
    }

    /** Whether {@code status} is one of {@link #retryOnStatuses()}. */
    public boolean retriesOnStatus(int status) {
        return status >= 0 && retryOnStatusBits.get(status);
    }

    /** The methods that may be retried whatever was sent. Default: {@link #DEFAULT_IDEMPOTENT_METHODS}. */
    public Set<String> idempotentMethods() {
        return idempotentMethods;
    }

    /** Whether a failure that sent nothing is retried for any method, POST included. Default: true. */
    public boolean anyMethodWhenNothingSent() {
        return anyMethodWhenNothingSent;
    }

    /** Retries in flight allowed as a share of the attempts in flight, 0..100. Default: {@value #DEFAULT_BUDGET_PERCENT}. */
    public double budgetPercent() {
        return budgetPercent;
    }

    /** Retries in flight allowed however few attempts are. Default: {@value #DEFAULT_MIN_RETRY_CONCURRENCY}. */
    public int minRetryConcurrency() {
        return minRetryConcurrency;
    }

    /**
     * How long one attempt may wait for its response headers, from the moment it is made (the
     * connection included); {@link Duration#ZERO} for no limit of its own. An attempt that runs out
     * fails as {@code RESPONSE_TIMEOUT} (504), which the defaults retry for idempotent methods
     * (Envoy's {@code per_try_timeout}). Default: none.
     */
    public Duration perTryTimeout() {
        return perTryTimeout;
    }

    /** The first step of the backoff between attempts. Default: {@link #DEFAULT_BACKOFF_BASE}. */
    public Duration backoffBase() {
        return backoffBase;
    }

    /** The longest backoff between attempts. Default: {@link #DEFAULT_BACKOFF_MAX}. */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** The longest Retry-After honoured; a response asking for more is not retried. Default: 1 second. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The most bytes of a request body kept in memory so that a retry can send it again; 0 keeps
     * none (a body is then retried only when none of it went). Default: 64 KiB.
     */
    public long maxReplayBodyBytes() {
        return maxReplayBodyBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts
                && retryOnFailures.equals(p.retryOnFailures) && retryOnStatuses.equals(p.retryOnStatuses)
                && idempotentMethods.equals(p.idempotentMethods) && anyMethodWhenNothingSent == p.anyMethodWhenNothingSent
                && Double.compare(budgetPercent, p.budgetPercent) == 0 && minRetryConcurrency == p.minRetryConcurrency
                && perTryTimeout.equals(p.perTryTimeout) && backoffBase.equals(p.backoffBase)
                && backoffMax.equals(p.backoffMax) && maxRetryAfter.equals(p.maxRetryAfter)
                && maxReplayBodyBytes == p.maxReplayBodyBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, retryOnFailures, retryOnStatuses, idempotentMethods, anyMethodWhenNothingSent,
                budgetPercent, minRetryConcurrency, perTryTimeout, backoffBase, backoffMax, maxRetryAfter,
                maxReplayBodyBytes);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", retryOnFailures=" + retryOnFailures
                + ", retryOnStatuses=" + retryOnStatuses + ", idempotentMethods=" + idempotentMethods
                + ", anyMethodWhenNothingSent=" + anyMethodWhenNothingSent + ", budgetPercent=" + budgetPercent
                + ", minRetryConcurrency=" + minRetryConcurrency + ", perTryTimeout=" + perTryTimeout
                + ", backoff=" + backoffBase + ".." + backoffMax + ", maxRetryAfter=" + maxRetryAfter
                + ", maxReplayBodyBytes=" + maxReplayBodyBytes + '}';
    }

    private static Set<UpstreamFailure.Kind> defaultFailures() {
        EnumSet<UpstreamFailure.Kind> kinds = EnumSet.of(UpstreamFailure.Kind.RESET_BEFORE_HEADERS,
                UpstreamFailure.Kind.RESPONSE_TIMEOUT);
        for (UpstreamFailure.Kind kind : UpstreamFailure.Kind.values()) {
            if (kind.nothingSent()) {
                kinds.add(kind);
            }
        }
        return Collections.unmodifiableSet(kinds);
    }

    /** Builds a {@link RetryPolicy}; every setting has a default, and a second call replaces the first. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Set<UpstreamFailure.Kind> retryOnFailures = DEFAULT_RETRY_ON_FAILURES;
        private Set<Integer> retryOnStatuses = DEFAULT_RETRY_ON_STATUSES;
        private Set<String> idempotentMethods = DEFAULT_IDEMPOTENT_METHODS;
        private boolean anyMethodWhenNothingSent = true;
        private double budgetPercent = DEFAULT_BUDGET_PERCENT;
        private int minRetryConcurrency = DEFAULT_MIN_RETRY_CONCURRENCY;
        private Duration perTryTimeout = DEFAULT_PER_TRY_TIMEOUT;
        private Duration backoffBase = DEFAULT_BACKOFF_BASE;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private long maxReplayBodyBytes = DEFAULT_MAX_REPLAY_BODY_BYTES;

        private Builder() {
        }

        private Builder(RetryPolicy p) {
            maxAttempts = p.maxAttempts;
            retryOnFailures = p.retryOnFailures;
            retryOnStatuses = p.retryOnStatuses;
            idempotentMethods = p.idempotentMethods;
            anyMethodWhenNothingSent = p.anyMethodWhenNothingSent;
            budgetPercent = p.budgetPercent;
            minRetryConcurrency = p.minRetryConcurrency;
            perTryTimeout = p.perTryTimeout;
            backoffBase = p.backoffBase;
            backoffMax = p.backoffMax;
            maxRetryAfter = p.maxRetryAfter;
            maxReplayBodyBytes = p.maxReplayBodyBytes;
        }

        /** Attempts in all, the first counted, 1..{@value #MAX_ATTEMPTS}; 1 turns retries off. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1.." + MAX_ATTEMPTS + ")");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Attempts after the first, 0..{@value #MAX_ATTEMPTS} - 1: {@code maxAttempts(retries + 1)}. */
        public Builder retries(int retries) {
            if (retries < 0 || retries > MAX_ATTEMPTS - 1) {
                throw new IllegalArgumentException("retries: " + retries + " (expected: 0.." + (MAX_ATTEMPTS - 1) + ")");
            }
            this.maxAttempts = retries + 1;
            return this;
        }

        /**
         * The failures to retry, replacing the default. Those that sent nothing are safe for any
         * method; the others ({@code RESET_BEFORE_HEADERS}, {@code RESPONSE_TIMEOUT}, ...) may
         * have reached the backend, so they are retried for idempotent methods only.
         * {@code REQUEST_BODY_TOO_LARGE} is the client's doing and cannot be retried.
         */
        public Builder retryOnFailures(UpstreamFailure.Kind... kinds) {
            EnumSet<UpstreamFailure.Kind> set = EnumSet.noneOf(UpstreamFailure.Kind.class);
            for (UpstreamFailure.Kind kind : kinds) {
                Objects.requireNonNull(kind, "kind");
                if (kind == UpstreamFailure.Kind.REQUEST_BODY_TOO_LARGE) {
                    throw new IllegalArgumentException(
                            "retryOnFailures: " + kind + " (expected: a failure another endpoint could avoid)");
                }
                set.add(kind);
            }
            this.retryOnFailures = set;
            return this;
        }

        /**
         * The response statuses to retry for idempotent methods, replacing the default of none;
         * 502, 503 and 504 are the usual choice (nginx's {@code http_502 http_503 http_504},
         * Envoy's {@code retriable-status-codes}).
         */
        public Builder retryOnStatuses(int... statuses) {
            Set<Integer> set = new TreeSet<>();
            for (int status : statuses) {
                if (status < 400 || status > 599) {
                    throw new IllegalArgumentException("retryOnStatuses: " + status + " (expected: 400..599)");
                }
                set.add(status);
            }
            this.retryOnStatuses = set;
            return this;
        }

        /** The methods safe to send twice, replacing RFC 9110's six. Tokens are matched exactly, e.g. {@code GET}. */
        public Builder idempotentMethods(String... methods) {
            Set<String> set = new LinkedHashSet<>();
            for (String method : methods) {
                Objects.requireNonNull(method, "method");
                if (method.isBlank() || method.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("idempotentMethods: \"" + method + "\" (expected: a method token)");
                }
                set.add(method);
            }
            this.idempotentMethods = set;
            return this;
        }

        /** Whether a failure that sent nothing is retried for any method. Default: true. */
        public Builder anyMethodWhenNothingSent(boolean anyMethodWhenNothingSent) {
            this.anyMethodWhenNothingSent = anyMethodWhenNothingSent;
            return this;
        }

        /** Retries in flight allowed as a share of the attempts in flight, 0..100 percent. */
        public Builder budgetPercent(double budgetPercent) {
            if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
                throw new IllegalArgumentException("budgetPercent: " + budgetPercent + " (expected: 0..100)");
            }
            this.budgetPercent = budgetPercent;
            return this;
        }

        /** Retries in flight allowed however few attempts are in flight; 0 or more. */
        public Builder minRetryConcurrency(int minRetryConcurrency) {
            if (minRetryConcurrency < 0) {
                throw new IllegalArgumentException("minRetryConcurrency: " + minRetryConcurrency + " (expected: >= 0)");
            }
            this.minRetryConcurrency = minRetryConcurrency;
            return this;
        }

        /** How long one attempt may wait for its response headers; {@link Duration#ZERO} for no limit of its own. */
        public Builder perTryTimeout(Duration perTryTimeout) {
            this.perTryTimeout = Checks.positiveOrZero("perTryTimeout", perTryTimeout);
            return this;
        }

        /**
         * The backoff between attempts: before the n-th retry, a wait drawn evenly from 0 to
         * {@code (2^n - 1) x base}, never over {@code max}. {@code Duration.ZERO, Duration.ZERO} retries at once.
         */
        public Builder backoff(Duration base, Duration max) {
            notNegative("backoffBase", base);
            notNegative("backoffMax", max);
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoffMax: " + max + " (expected: >= backoffBase " + base + ")");
            }
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        /** The longest Retry-After honoured; a response asking for longer goes to the client. {@code ZERO} retries none that asks to wait. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = notNegative("maxRetryAfter", maxRetryAfter);
            return this;
        }

        /** The most bytes of a request body kept in memory to send again on a retry; 0 or more. */
        public Builder maxReplayBodyBytes(long maxReplayBodyBytes) {
            if (maxReplayBodyBytes < 0) {
                throw new IllegalArgumentException("maxReplayBodyBytes: " + maxReplayBodyBytes + " (expected: >= 0)");
            }
            this.maxReplayBodyBytes = maxReplayBodyBytes;
            return this;
        }

        private static Duration notNegative(String field, Duration value) {
            Objects.requireNonNull(value, field);
            if (value.isNegative()) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
            }
            return value;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
