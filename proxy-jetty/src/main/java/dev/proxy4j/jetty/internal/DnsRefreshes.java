package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.DnsRefresher;
import dev.proxy4j.upstream.Resolver;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstreams' DNS re-resolution: one core {@link DnsRefresher} per upstream of the
 * configuration in force that resolves names, its timer on the server's scheduler and its lookups
 * on the blocking executor (the JVM's resolver blocks), never on an event loop. Starting the proxy
 * waits up to {@link #FIRST_ANSWERS} for the first answers, so that the first requests find the
 * addresses; a reconfigure starts the new upstreams' lookups without waiting, each new upstream
 * given the addresses the upstreams it replaces knew for the same names.
 */
final class DnsRefreshes extends AbstractLifeCycle {

    /** How long {@code start()} waits for the first answers: past it, the proxy serves and they come when they come. */
    static final Duration FIRST_ANSWERS = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(DnsRefreshes.class);

    private final Scheduler scheduler;
    private final Resolver system;
    /** By identity, as {@link HealthChecks}. Guarded by this. */
    private final Map<Upstream, DnsRefresher> running = new IdentityHashMap<>();
    private List<Upstream> inForce = List.of();

    DnsRefreshes(Scheduler scheduler, Executor blocking) {
        this.scheduler = scheduler;
        this.system = Resolver.system(blocking);
    }

    /** Makes {@code upstreams} the ones in force: lookups start for new ones and stop for the others. */
    synchronized void inForce(List<Upstream> upstreams) {
        inForce = List.copyOf(upstreams);
        if (isStarted()) {
            reconcile();
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        List<CompletableFuture<Void>> firsts;
        synchronized (this) {
            firsts = reconcile();
        }
        if (firsts.isEmpty()) {
            return;
        }
        try {
            // Not an event loop: the thread starting the server.
            CompletableFuture.allOf(firsts.toArray(new CompletableFuture<?>[0]))
                    .get(FIRST_ANSWERS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("some upstream names had no DNS answer within {} ms of start; their endpoints join as answers come",
                    FIRST_ANSWERS.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("the first DNS lookups failed", e.getCause());
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            running.values().forEach(DnsRefresher::stop);
            running.clear();
        }
        super.doStop();
    }

    /** Under this; the first lookups of the refreshers it started. */
    private List<CompletableFuture<Void>> reconcile() {
        Set<Upstream> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(inForce);
        List<Upstream> replaced = new ArrayList<>();
        running.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            replaced.add(entry.getKey());
            return true;
        });
        List<CompletableFuture<Void>> firsts = new ArrayList<>();
        for (Upstream upstream : inForce) {
            if (!running.containsKey(upstream) && DnsRefresher.needed(upstream)) {
                DnsRefresher refresher = new DnsRefresher(upstream, system, this::schedule);
                // A reconfigured upstream starts with the addresses the one it replaces knew.
                replaced.forEach(refresher::seedFrom);
                running.put(upstream, refresher);
                firsts.add(refresher.start().toCompletableFuture());
            }
        }
        return firsts;
    }

    private void schedule(Duration delay, Runnable task) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException stopped) {
            throw new RejectedExecutionException("the proxy's scheduler is stopped", stopped);
        }
    }
}
