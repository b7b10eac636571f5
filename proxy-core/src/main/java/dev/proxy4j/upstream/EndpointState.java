package dev.proxy4j.upstream;

import dev.proxy4j.time.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One member of an {@link EndpointGroup} and what the proxy has seen of it lately: requests in
 * flight, a recent latency, consecutive failures, and its health and draining flags. Selectors
 * read it to choose; {@link Selection#complete(Outcome)} writes it.
 *
 * <p>Thread-safe and lock-free: every counter is an atomic or a {@link LongAdder}, so a reading
 * is a moment's view of each number, not of all of them together. The state outlives the
 * member's place in the group: a selection made just before a removal still completes on it.
 */
public final class EndpointState {

    /** Whether a member may be chosen, as a health checker or an operator last said. */
    public enum Health {
        /** Chosen as usual. The state of a member when it joins. */
        HEALTHY,
        /** Not chosen, unless no member of the group is healthy (see {@link EndpointGroup.Snapshot#selectable()}). */
        UNHEALTHY
    }

    /**
     * How fast old latencies fade: 10 seconds, as Finagle's peak-EWMA balancer. A sample that
     * comes this long after the previous one moves the average 63% of the way to it.
     */
    public static final Duration LATENCY_DECAY = Duration.ofSeconds(10);
    private static final double DECAY_NANOS = LATENCY_DECAY.toNanos();

    private volatile Endpoint endpoint;
    private final Ticker ticker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
    /** Null until the first response; replaced whole, so value and time always go together. */
    private final AtomicReference<Ewma> latency = new AtomicReference<>();
    private volatile Health health = Health.HEALTHY;
    private volatile boolean draining;
    /** By {@link #ticker}: when it joined or last turned healthy; meaningless while {@link #warm}. */
    private volatile long readySinceNanos;
    /** True for the members a group was made with, until they recover from UNHEALTHY. */
    private volatile boolean warm;
    /** Outlier ejection: written under the detector's lock, read lock-free. */
    private volatile boolean ejected;
    private volatile long ejectedUntil;
    private volatile int ejections;
    /** The last active health check's answer, e.g. "passed: status 200"; null before the first. */
    private volatile @Nullable String lastCheck;
    /** The active checks' rise/fall counter; null before the first check. */
    private final AtomicReference<@Nullable HealthCounter> healthCounter = new AtomicReference<>();

    EndpointState(Endpoint endpoint, Ticker ticker, boolean warm) {
        this.endpoint = endpoint;
        this.ticker = ticker;
        this.warm = warm;
        this.readySinceNanos = ticker.nanos();
    }

    /** The endpoint as the group has it now: its weight may be changed by {@link EndpointGroup#setWeight}. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Selections of this endpoint not yet completed. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Selections of this endpoint completed so far, whatever their outcome. */
    public long completed() {
        return completed.sum();
    }

    /**
     * A time-weighted average of the latency of recent responses in nanoseconds (each response
     * counts for the time since the one before it, fading over {@link #LATENCY_DECAY}); 0 until
     * the first response. Failures without a response do not count: a refused connection is fast.
     */
    public long latencyNanos() {
        Ewma e = latency.get();
        return e == null ? 0 : (long) e.value;
    }

    /**
     * Attempts in a row that ended in a 5xx status or a failure of the exchange (Envoy's
     * {@code consecutive_5xx}); back to 0 on the first response below 500.
     */
    public int consecutive5xx() {
        return consecutive5xx.get();
    }

    /**
     * Attempts in a row that ended in 502, 503, 504 or a failure of the exchange (Envoy's
     * {@code consecutive_gateway_failure}); back to 0 on the first response that is none of these.
     */
    public int consecutiveGatewayFailures() {
        return consecutiveGatewayFailures.get();
    }

    public Health health() {
        return health;
    }

    /**
     * When, by the group's ticker, the member last became ready for requests: when it was added to
     * the group, or when it last turned healthy again after being unhealthy. Empty for the members
     * the group was made with that have not recovered since: they are taken as warm. Slow start
     * ({@link SlowStart}) ramps a member's weight up from here.
     */
    public OptionalLong readySinceNanos() {
        return warm ? OptionalLong.empty() : OptionalLong.of(readySinceNanos);
    }

    /** {@link #readySinceNanos()} for the selectors, without a box: {@code Long.MIN_VALUE} when warm. */
    long readySince() {
        return warm ? Long.MIN_VALUE : readySinceNanos;
    }

    /** True once {@link EndpointGroup#drain(Endpoint)} was called for it: never chosen again. */
    public boolean isDraining() {
        return draining;
    }

    /** Whether a selector may choose it when the group has healthy members: healthy, not ejected and not draining. */
    public boolean isSelectable() {
        return health == Health.HEALTHY && !ejected && !draining;
    }

    /** True while outlier detection keeps it out of rotation (see {@link OutlierDetection}). */
    public boolean isEjected() {
        return ejected;
    }

    /** While {@linkplain #isEjected() ejected}: when the ejection ends, by the group's ticker. */
    public OptionalLong ejectedUntilNanos() {
        return ejected ? OptionalLong.of(ejectedUntil) : OptionalLong.empty();
    }

    /**
     * How many times in a row outlier detection ejected it: the next ejection lasts one base
     * ejection time longer; each detection interval spent in rotation takes one off. 0 when never.
     */
    public int ejections() {
        return ejections;
    }

    /** The last active health check's result, e.g. {@code passed: status 200}, {@code failed: timed out}; empty before the first. */
    public Optional<String> lastHealthCheck() {
        return Optional.ofNullable(lastCheck);
    }

    long ejectedUntil() {
        return ejectedUntil;
    }

    /** Under the detector's lock: out until {@code untilNanos}; the runs of failures start again. */
    void eject(long untilNanos, int ejections) {
        this.ejectedUntil = untilNanos;
        this.ejections = ejections;
        this.ejected = true;
        consecutive5xx.set(0);
        consecutiveGatewayFailures.set(0);
    }

    void unEject() {
        ejected = false;
    }

    void fadeEjections() {
        if (ejections > 0) {
            ejections--;
        }
    }

    void checked(boolean passed, String detail) {
        lastCheck = (passed ? "passed: " : "failed: ") + detail;
    }

    /** The counter for a check with {@code rise} and {@code fall}: the one kept, made (or adapted) when there is none for them. */
    HealthCounter healthCounter(int rise, int fall) {
        for (;;) {
            HealthCounter kept = healthCounter.get();
            if (kept != null && kept.rise() == rise && kept.fall() == fall) {
                return kept;
            }
            HealthCounter made = kept != null ? kept.copyFor(rise, fall) : new HealthCounter(rise, fall, health == Health.HEALTHY);
            if (healthCounter.compareAndSet(kept, made)) {
                return made;
            }
        }
    }

    /**
     * Takes over what {@code previous}, the member for the same server of the upstream this one's
     * replaces, had learned: health and its checks' counter, the last check, the runs of failures,
     * the latency, where a slow start has got to, and (with {@code ejection}) an ejection with the
     * time it has left and the ejections in a row. Times are carried as durations, so the two
     * groups' tickers need not agree. Not the requests in flight: those complete on {@code previous}.
     * Called before this member's group is published with the change.
     */
    void carryFrom(EndpointState previous, boolean ejection) {
        long then = previous.ticker.nanos();
        long now = ticker.nanos();
        health = previous.health;
        HealthCounter counter = previous.healthCounter.get();
        if (counter != null) {
            healthCounter.set(counter.copyFor(counter.rise(), counter.fall()));
        }
        lastCheck = previous.lastCheck;
        warm = previous.warm;
        readySinceNanos = now - (then - previous.readySinceNanos);
        consecutive5xx.set(previous.consecutive5xx.get());
        consecutiveGatewayFailures.set(previous.consecutiveGatewayFailures.get());
        Ewma seen = previous.latency.get();
        latency.set(seen == null ? null : new Ewma(seen.value, now - (then - seen.at)));
        if (ejection) {
            ejections = previous.ejections;
            if (previous.ejected) {
                ejectedUntil = now + (previous.ejectedUntil - then);
                ejected = true;
            }
        }
    }

    void endpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    void health(Health health) {
        if (this.health == Health.UNHEALTHY && health == Health.HEALTHY) {
            readySinceNanos = ticker.nanos();
            warm = false;
        }
        this.health = health;
    }

    void draining() {
        draining = true;
    }

    void begin() {
        inFlight.incrementAndGet();
    }

    /** Records what came of one selection; returns the in-flight count left. */
    int end(Outcome outcome) {
        record(outcome);
        return finish();
    }

    /** The selection is no longer in flight; returns the in-flight count left. */
    int finish() {
        completed.increment();
        return inFlight.decrementAndGet();
    }

    /**
     * Records what came of one selection. Returns the run of gateway failures it made longer
     * (1 for the first), minus the length of the run an answer that is
     * not a gateway failure ended, else 0.
     */
    int record(Outcome outcome) {
        if (outcome.status() != 0) {
            sample(outcome.latencyNanos());
        }
        if (outcome.countsAsFailure()) {
            consecutive5xx.incrementAndGet();
            if (outcome.isGatewayFailure()) {
                return consecutiveGatewayFailures.incrementAndGet();
            }
            return -consecutiveGatewayFailures.getAndSet(0);
        } else if (outcome.countsAsSuccess()) {
            consecutive5xx.set(0);
            return -consecutiveGatewayFailures.getAndSet(0);
        }
        return 0;
    }

    /** A connection opened ({@link Selection#connected}): the run of gateway failures ends; minus its length. */
    int recordConnected() {
        return -consecutiveGatewayFailures.getAndSet(0);
    }

    private void sample(long latencyNanos) {
        long now = ticker.nanos();
        Ewma prev;
        Ewma next;
        do {
            prev = latency.get();
            if (prev == null) {
                next = new Ewma(latencyNanos, now);
            } else {
                double elapsed = Math.max(0, now - prev.at);
                double keep = Math.exp(-elapsed / DECAY_NANOS);
                next = new Ewma(prev.value * keep + latencyNanos * (1 - keep), Math.max(now, prev.at));
            }
        } while (!latency.compareAndSet(prev, next));
    }

    @Override
    public String toString() {
        return "EndpointState[" + endpoint + ", " + health + (ejected ? ", ejected" : "") + (draining ? ", draining" : "") + ", inFlight="
                + inFlight() + ", latencyNanos=" + latencyNanos() + ", consecutive5xx=" + consecutive5xx() + ']';
    }

    private record Ewma(double value, long at) {
    }
}
