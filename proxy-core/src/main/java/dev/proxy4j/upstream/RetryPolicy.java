package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When the proxy tries a request again on another endpoint, and how much retrying an upstream
 * allows at once. Immutable and thread-safe; {@link #builder()} and {@link #toBuilder()} make one.
 *
 * <p>A retry needs all of:
 * <ul>
 *   <li>fewer than {@link #maxAttempts()} attempts so far (the first counted);</li>
 *   <li>no byte of the request body sent, unless the adapter can send it again;</li>
 *   <li>a last outcome that is a {@linkplain #retryOnFailures() retryable failure} or a
 *       {@linkplain #retryOnStatuses() retryable status};</li>
 *   <li>a method it may repeat: any method after a failure that sent nothing
 *       ({@link UpstreamFailure.Kind#nothingSent()}), while {@link #anyMethodWhenNothingSent()};
 *       otherwise an {@linkplain #idempotentMethods() idempotent} one (RFC 9110, 9.2.2);</li>
 *   <li>room in the upstream's {@link RetryBudget};</li>
 *   <li>an endpoint not yet tried.</li>
 * </ul>
 *
 * <p>The defaults retry only what cannot have reached a backend (a refused or timed-out
 * connection), for any method, up to 3 attempts in all: nginx's {@code proxy_next_upstream error
 * timeout} without its retries of requests already sent, and Envoy's {@code connect-failure}
 * retry policy with its default budget of 20% and 3.
 */
public final class RetryPolicy {

    /**
     * 3 attempts in all, the first counted: two retries, each on an endpoint not yet tried. nginx
     * tries every server of the upstream ({@code proxy_next_upstream_tries 0}); Envoy retries once.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The most attempts a policy may allow. */
    public static final int MAX_ATTEMPTS = 10;
    /** The failures that sent nothing: the connection was refused or timed out, or no endpoint was left. */
    public static final Set<UpstreamFailure.Kind> DEFAULT_RETRY_ON_FAILURES = nothingSentKinds();
    /** No status: a backend's own 5xx goes to the client unless a status is opted in. */
    public static final Set<Integer> DEFAULT_RETRY_ON_STATUSES = Set.of();
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
    private final Set<String> idempotentMethods;
    private final boolean anyMethodWhenNothingSent;
    private final double budgetPercent;
    private final int minRetryConcurrency;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        EnumSet<UpstreamFailure.Kind> failures = EnumSet.noneOf(UpstreamFailure.Kind.class);
        failures.addAll(b.retryOnFailures);
        this.retryOnFailures = Collections.unmodifiableSet(failures);
        this.retryOnStatuses = Collections.unmodifiableSet(new TreeSet<>(b.retryOnStatuses));
        this.idempotentMethods = Collections.unmodifiableSet(new LinkedHashSet<>(b.idempotentMethods));
        this.anyMethodWhenNothingSent = b.anyMethodWhenNothingSent;
        this.budgetPercent = b.budgetPercent;
        this.minRetryConcurrency = b.minRetryConcurrency;
    }

    /** The policy with every default. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy that never retries: one attempt. */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
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
        return retryOnStatuses.contains(lastOutcome.status()) && isIdempotent(request.method());
    }

    private boolean isIdempotent(String method) {
        return idempotentMethods.contains(method);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts
                && retryOnFailures.equals(p.retryOnFailures) && retryOnStatuses.equals(p.retryOnStatuses)
                && idempotentMethods.equals(p.idempotentMethods) && anyMethodWhenNothingSent == p.anyMethodWhenNothingSent
                && Double.compare(budgetPercent, p.budgetPercent) == 0 && minRetryConcurrency == p.minRetryConcurrency;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, retryOnFailures, retryOnStatuses, idempotentMethods, anyMethodWhenNothingSent,
                budgetPercent, minRetryConcurrency);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", retryOnFailures=" + retryOnFailures
                + ", retryOnStatuses=" + retryOnStatuses + ", idempotentMethods=" + idempotentMethods
                + ", anyMethodWhenNothingSent=" + anyMethodWhenNothingSent + ", budgetPercent=" + budgetPercent
                + ", minRetryConcurrency=" + minRetryConcurrency + '}';
    }

    private static Set<UpstreamFailure.Kind> nothingSentKinds() {
        EnumSet<UpstreamFailure.Kind> kinds = EnumSet.noneOf(UpstreamFailure.Kind.class);
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
        }

        /** Attempts in all, the first counted, 1..{@value #MAX_ATTEMPTS}; 1 turns retries off. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1.." + MAX_ATTEMPTS + ")");
            }
            this.maxAttempts = maxAttempts;
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

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
