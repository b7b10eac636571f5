package dev.proxy4j.upstream;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an upstream's group in step with the DNS answers for its named endpoints
 * ({@link Upstream#resolvedNames()}), as its {@link DnsResolution} says: each name is looked up at
 * start, then again an interval after each answer (longer after failures); each answer's new
 * addresses are added to the group and the addresses no longer in it are drained. One lookup per
 * name at a time. A failure, or an empty answer kept, changes nothing; the first failure of a run
 * is logged once at WARN, and the answer that ends it at INFO.
 *
 * <p>The adapter gives it a timer on the proxy's scheduler and a resolver whose lookups do not
 * block the caller. Nothing here blocks. Thread-safe.
 */
public final class DnsRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(DnsRefresher.class);

    /** Runs a task once after a delay, on a thread of its own; throws {@link RejectedExecutionException} once stopped. */
    @FunctionalInterface
    public interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    private final Upstream upstream;
    private final DnsResolution resolution;
    private final Resolver resolver;
    private final Timer timer;
    private final List<Name> names = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean stopped;

    /**
     * @param resolver who answers: {@code upstream}'s own {@link DnsResolution#resolver()} when it
     *     has one, otherwise the one the adapter gives (the JVM's, on a blocking executor)
     * @throws IllegalArgumentException when the upstream resolves no name
     */
    public DnsRefresher(Upstream upstream, Resolver resolver, Timer timer) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.resolution = upstream.dnsResolution().orElseThrow(() -> new IllegalArgumentException(
                "upstream " + upstream.name() + ": no dnsResolution (expected: Upstream.Builder.resolve(...))"));
        this.resolver = resolution.resolver().orElse(Objects.requireNonNull(resolver, "resolver"));
        this.timer = Objects.requireNonNull(timer, "timer");
        for (Endpoint endpoint : upstream.resolvedNames()) {
            names.add(new Name(endpoint));
        }
    }

    /** True when {@code upstream} has names to resolve. */
    public static boolean needed(Upstream upstream) {
        return upstream.dnsResolution().isPresent() && !upstream.resolvedNames().isEmpty();
    }

    /**
     * Looks every name up now; once. The stage completes when each first lookup has ended (with
     * an answer or not), for a caller that wants to wait for them.
     */
    public synchronized CompletionStage<Void> start() {
        if (started || stopped) {
            return CompletableFuture.completedFuture(null);
        }
        started = true;
        List<CompletableFuture<Void>> firsts = new ArrayList<>();
        for (Name name : names) {
            firsts.add(name.first);
            name.lookUp();
        }
        return CompletableFuture.allOf(firsts.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Before {@link #start()}: adds to the group the addresses {@code previous} resolved for the same
     * names (scheme, host and port), with this upstream's weights, so that an upstream that
     * replaces another (a reconfigure) has endpoints before its own first answer.
     *
     * @return how many endpoints were added
     */
    public int seedFrom(Upstream previous) {
        Objects.requireNonNull(previous, "previous");
        int added = 0;
        for (Name name : names) {
            String nameKey = name.template.nameKey();
            for (EndpointState member : previous.group().snapshot().members()) {
                InetAddress address = member.endpoint().address();
                if (address != null && !member.isDraining() && member.endpoint().nameKey().equals(nameKey)
                        && upstream.group().add(name.template.withAddress(address))) {
                    added++;
                }
            }
        }
        return added;
    }

    /** Stops: no lookup starts after this returns, and an answer still to come changes nothing. */
    public void stop() {
        stopped = true;
    }

    @Override
    public String toString() {
        return "DnsRefresher[" + upstream.name() + (stopped ? ", stopped" : "") + ']';
    }

    /** One named endpoint: its lookups, one at a time, and the failures in a row. */
    private final class Name {
        private final Endpoint template;
        private final CompletableFuture<Void> first = new CompletableFuture<>();
        /** Written by the thread that completed the last lookup; lookups never overlap. */
        private int failuresInRow;

        Name(Endpoint template) {
            this.template = template;
        }

        void lookUp() {
            if (stopped) {
                first.complete(null);
                return;
            }
            CompletionStage<List<InetAddress>> answer;
            try {
                answer = Objects.requireNonNull(resolver.resolve(template.host()), "the resolver's stage");
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((addresses, failure) -> {
                try {
                    if (!stopped) {
                        answered(addresses, failure);
                    }
                } catch (RuntimeException e) {
                    LOG.error("upstream {}: the answer for {} could not be applied", upstream.name(), template.host(), e);
                } finally {
                    first.complete(null);
                    schedule(resolution.nextDelay(failuresInRow));
                }
            });
        }

        private void answered(@Nullable List<InetAddress> addresses, @Nullable Throwable failure) {
            if (failure != null || addresses == null) {
                failed(failure == null ? "no answer" : describe(failure));
                return;
            }
            Set<InetAddress> unique = new LinkedHashSet<>(addresses);
            if (unique.isEmpty() && resolution.onEmpty() == DnsResolution.OnEmpty.KEEP) {
                failed("an answer with no address");
                return;
            }
            if (failuresInRow > 0) {
                LOG.info("upstream {}: {} resolves again, to {}", upstream.name(), template.host(), text(unique));
            }
            failuresInRow = 0;
            apply(unique);
        }

        private void failed(String why) {
            if (failuresInRow == 0) {
                LOG.warn("upstream {}: looking up {} failed ({}); keeping its last known addresses", upstream.name(),
                        template.host(), why);
            }
            failuresInRow++;
        }

        /** Adds the new addresses and drains the members of this name whose address is gone. */
        private void apply(Set<InetAddress> addresses) {
            EndpointGroup group = upstream.group();
            String nameKey = template.nameKey();
            List<Endpoint> added = new ArrayList<>();
            List<Endpoint> drained = new ArrayList<>();
            for (EndpointState member : group.snapshot().members()) {
                Endpoint endpoint = member.endpoint();
                if (endpoint.address() != null && endpoint.nameKey().equals(nameKey)
                        && !addresses.contains(endpoint.address()) && !member.isDraining()) {
                    group.drain(endpoint);
                    drained.add(endpoint);
                }
            }
            for (InetAddress address : addresses) {
                Endpoint endpoint = template.withAddress(address);
                if (group.add(endpoint)) {
                    added.add(endpoint);
                }
            }
            if (!added.isEmpty() || !drained.isEmpty()) {
                LOG.info("upstream {}: {} now resolves to {}; added {}, draining {}", upstream.name(), template.host(),
                        text(addresses), added, drained);
            }
        }

        private void schedule(Duration delay) {
            if (stopped) {
                return;
            }
            try {
                timer.schedule(delay, this::lookUp);
            } catch (RejectedExecutionException notRunning) {
                // The proxy's scheduler stopped with it.
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String text(Set<InetAddress> addresses) {
        List<String> text = new ArrayList<>();
        for (InetAddress address : addresses) {
            text.add(address.getHostAddress());
        }
        return text.toString();
    }
}
