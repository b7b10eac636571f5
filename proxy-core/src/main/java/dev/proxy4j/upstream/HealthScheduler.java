package dev.proxy4j.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an upstream's health work runs, on a timer the adapter gives it: a chain of active checks
 * per member (the first within the jitter's share of the interval, each next one an interval, less
 * the jitter, after the last one answered, so that the checks of one endpoint never overlap),
 * started for members as they join and ended once they have left; and the outlier detector's
 * {@linkplain OutlierDetector#sweep() sweep} every detection interval. The adapter sends the checks
 * ({@link Prober}); what an answer means is the {@link HealthChecker}'s.
 *
 * <p>Nothing here blocks or waits: each step schedules the next. Thread-safe.
 */
public final class HealthScheduler implements EndpointGroup.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HealthScheduler.class);

    /** What a check got: a status, or why none came. */
    public record Answer(int status, @Nullable String failure) {
        public static Answer status(int status) {
            return new Answer(status, null);
        }

        /** No answer: {@code why} in a few words ({@code connection refused}, {@code timed out after 1000ms}). */
        public static Answer failed(String why) {
            return new Answer(0, Objects.requireNonNull(why, "why"));
        }

        /** A TCP check's pass: the connection was made. */
        public static Answer connected() {
            return new Answer(0, null);
        }
    }

    /** Sends one check of {@code endpoint}; the stage completes with the answer, and need not fail. */
    @FunctionalInterface
    public interface Prober {
        CompletionStage<Answer> probe(Endpoint endpoint, HealthCheck check);
    }

    /** Runs a task once after a delay, on a thread of its own; throws {@link RejectedExecutionException} once stopped. */
    @FunctionalInterface
    public interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    private final Upstream upstream;
    private final @Nullable HealthChecker checker;
    private final @Nullable OutlierDetector detector;
    private final Prober prober;
    private final Timer timer;
    private final RandomGenerator random;
    /** The members with a chain of checks, by identity; bounded by the group. */
    private final Map<EndpointState, Boolean> checked = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean stopped;

    /** The upstream's own check, as it is. */
    public HealthScheduler(Upstream upstream, Prober prober, Timer timer, RandomGenerator random) {
        this(upstream, false, prober, timer, random);
    }

    /**
     * @param rawTcpOnly the proxy forwards only raw TCP to {@code upstream} (it is behind TCP
     *     listeners or SNI passthrough, and no HTTP route): its check runs as {@link #checkFor} says
     */
    public HealthScheduler(Upstream upstream, boolean rawTcpOnly, Prober prober, Timer timer, RandomGenerator random) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.random = Objects.requireNonNull(random, "random");
        this.checker = checkFor(upstream, rawTcpOnly).map(check -> new HealthChecker(upstream, check)).orElse(null);
        this.detector = upstream.outlierDetector().orElse(null);
    }

    /**
     * The active check the proxy runs for {@code upstream}: its own; or, when the proxy forwards
     * only raw TCP to it, its own {@linkplain HealthCheck#asTcp() as a TCP connect check}: the
     * backend is not known to speak HTTP (a database, TLS the backend terminates), so a
     * {@code GET} would fail or, worse, be taken for something else. Empty when it has none.
     */
    public static Optional<HealthCheck> checkFor(Upstream upstream, boolean rawTcpOnly) {
        return rawTcpOnly ? upstream.healthCheck().map(HealthCheck::asTcp) : upstream.healthCheck();
    }

    /** The check that runs; empty when only outlier detection does. */
    public Optional<HealthCheck> check() {
        HealthChecker checker = this.checker;
        return checker == null ? Optional.empty() : Optional.of(checker.check());
    }

    /** True when the upstream has health work: an active check or outlier detection. */
    public static boolean needed(Upstream upstream) {
        return upstream.healthCheck().isPresent() || upstream.outlierDetector().isPresent();
    }

    /** Starts the chains of checks and the sweeps; once. */
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        if (checker != null) {
            upstream.group().addListener(this);
            onChange(upstream.group().snapshot());
        }
        if (detector != null) {
            scheduleSweep(detector);
        }
    }

    /** Stops: no check or sweep is started after this returns (one under way finishes). */
    public void stop() {
        stopped = true;
        upstream.group().removeListener(this);
    }

    /** How many members have a chain of checks. */
    public int checkedMembers() {
        return checked.size();
    }

    /** A member that joined gets its chain of checks. Called under the group's lock: only schedules. */
    @Override
    public void onChange(EndpointGroup.Snapshot snapshot) {
        HealthChecker checker = this.checker;
        if (stopped || checker == null) {
            return;
        }
        for (EndpointState member : snapshot.members()) {
            if (checked.putIfAbsent(member, Boolean.TRUE) == null) {
                schedule(member, checker.check().firstDelay(random));
            }
        }
    }

    private void schedule(EndpointState member, Duration delay) {
        if (stopped) {
            checked.remove(member);
            return;
        }
        try {
            timer.schedule(delay, () -> check(member));
        } catch (RejectedExecutionException notRunning) {
            checked.remove(member);
        }
    }

    private void check(EndpointState member) {
        HealthChecker checker = this.checker;
        if (stopped || checker == null) {
            checked.remove(member);
            return;
        }
        if (!upstream.group().snapshot().members().contains(member)) {
            checked.remove(member);
            checker.forget(member);
            return;
        }
        HealthCheck check = checker.check();
        if (member.isDraining()) {
            schedule(member, check.nextDelay(random));
            return;
        }
        CompletionStage<Answer> answer;
        try {
            answer = prober.probe(member.endpoint(), check);
        } catch (RuntimeException e) {
            LOG.warn("upstream {}: the health check of {} could not be sent", upstream.name(), member.endpoint(), e);
            answer = java.util.concurrent.CompletableFuture.completedFuture(
                    Answer.failed("not sent: " + e.getClass().getSimpleName()));
        }
        answer.whenComplete((got, failure) -> {
            try {
                if (!stopped) {
                    Answer a = got != null ? got : Answer.failed(failure == null ? "no answer"
                            : failure.getClass().getSimpleName());
                    checker.report(member, a.status(), a.failure());
                }
            } finally {
                schedule(member, check.nextDelay(random));
            }
        });
    }

    private void scheduleSweep(OutlierDetector detector) {
        if (stopped) {
            return;
        }
        try {
            timer.schedule(detector.detection().interval(), () -> {
                if (!stopped) {
                    try {
                        detector.sweep();
                    } finally {
                        scheduleSweep(detector);
                    }
                }
            });
        } catch (RejectedExecutionException notRunning) {
            // The timer stopped with the proxy.
        }
    }

    @Override
    public String toString() {
        return "HealthScheduler[" + upstream.name() + (stopped ? ", stopped" : "") + ']';
    }
}
