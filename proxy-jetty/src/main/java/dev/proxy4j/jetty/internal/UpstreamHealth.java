package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.HealthChecker;
import dev.proxy4j.upstream.OutlierDetector;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's health work: a chain of checks per member (the next one scheduled when the
 * last has answered, so that checks of one endpoint never overlap), started for members as they
 * join and ended once they have left; and its outlier detector's sweep every detection interval.
 * Everything runs on the scheduler and the health-check client's threads.
 */
final class UpstreamHealth implements EndpointGroup.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHealth.class);

    private final Upstream upstream;
    private final HttpClient client;
    private final Scheduler scheduler;
    private final @Nullable HealthChecker checker;
    private final @Nullable OutlierDetector detector;
    /** The members being checked, by identity; bounded by the group. */
    private final Map<EndpointState, Boolean> checked = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    UpstreamHealth(Upstream upstream, HttpClient client, Scheduler scheduler) {
        this.upstream = upstream;
        this.client = client;
        this.scheduler = scheduler;
        this.checker = upstream.healthCheck().isPresent() ? new HealthChecker(upstream) : null;
        this.detector = upstream.outlierDetector().orElse(null);
    }

    void start() {
        if (checker != null) {
            upstream.group().addListener(this);
            onChange(upstream.group().snapshot());
        }
        if (detector != null) {
            scheduleSweep();
        }
    }

    void stop() {
        stopped = true;
        upstream.group().removeListener(this);
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
                schedule(member, checker.check().firstDelay(ThreadLocalRandom.current()));
            }
        }
    }

    private void schedule(EndpointState member, Duration delay) {
        if (stopped) {
            return;
        }
        try {
            scheduler.schedule(() -> check(member), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException notRunning) {
            // The scheduler stopped with the server: nothing more to check.
            checked.remove(member);
        }
    }

    private void check(EndpointState member) {
        HealthChecker checker = this.checker;
        if (stopped || checker == null) {
            return;
        }
        if (!upstream.group().snapshot().members().contains(member)) {
            checked.remove(member);
            checker.forget(member);
            return;
        }
        HealthCheck check = checker.check();
        if (member.isDraining()) {
            schedule(member, check.nextDelay(ThreadLocalRandom.current()));
            return;
        }
        try {
            Request request = client.newRequest(member.endpoint().uri().resolve(check.path()))
                    .method(HttpMethod.GET)
                    .timeout(check.timeout().toNanos(), TimeUnit.NANOSECONDS);
            if (upstream.protocol() == UpstreamProtocol.HTTP_2) {
                request.version(HttpVersion.HTTP_2);
            }
            check.host().ifPresent(host -> request.headers(h -> h.put(HttpHeader.HOST, host)));
            request.send(result -> completed(member, check, result));
        } catch (RuntimeException e) {
            LOG.warn("upstream {}: the health check of {} could not be sent", upstream.name(), member.endpoint().uri(), e);
            checker.report(member, 0, "not sent: " + e.getClass().getSimpleName());
            schedule(member, check.nextDelay(ThreadLocalRandom.current()));
        }
    }

    private void completed(EndpointState member, HealthCheck check, Result result) {
        HealthChecker checker = this.checker;
        if (stopped || checker == null) {
            return;
        }
        try {
            if (result.isSucceeded()) {
                checker.report(member, result.getResponse().getStatus(), null);
            } else {
                checker.report(member, 0, describe(result.getFailure(), check));
            }
        } finally {
            schedule(member, check.nextDelay(ThreadLocalRandom.current()));
        }
    }

    private void scheduleSweep() {
        OutlierDetector detector = this.detector;
        if (stopped || detector == null) {
            return;
        }
        Duration interval = detector.detection().interval();
        try {
            scheduler.schedule(() -> {
                if (!stopped) {
                    try {
                        detector.sweep();
                    } finally {
                        scheduleSweep();
                    }
                }
            }, interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException notRunning) {
            // The scheduler stopped with the server.
        }
    }

    /** What went wrong, for the log and the read API: never a stack trace. */
    private static String describe(Throwable failure, HealthCheck check) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return "timed out after " + check.timeout().toMillis() + "ms";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof ClosedChannelException || t instanceof java.io.EOFException) {
                return "connection closed";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure.getClass().getSimpleName();
    }
}
