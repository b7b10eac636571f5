package dev.proxy4j.upstream;

import dev.proxy4j.http.ProxyRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin from a schedule worked out in advance, walked by one atomic counter:
 * lock-free. With endpoints excluded it takes the next entry of the schedule that is not, and
 * moves the counter past the entries it skipped, so that the others share the excluded
 * endpoints' turns in proportion to their weights.
 */
final class ScheduledWeightedSelector implements EndpointSelector {

    private final Endpoint[] endpoints;
    /** Indexes into {@link #endpoints}, one period of nginx's order. */
    private final int[] schedule;
    private final AtomicLong next = new AtomicLong();

    ScheduledWeightedSelector(Endpoint[] endpoints, int[] schedule) {
        this.endpoints = endpoints;
        this.schedule = schedule;
    }

    @Override
    public Endpoint select(ProxyRequest request) {
        return endpoints[schedule[position(next.getAndIncrement())]];
    }

    @Override
    public @Nullable Endpoint select(ProxyRequest request, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return select(request);
        }
        boolean[] skippedEndpoints = Selectors.excludedFlags(endpoints, excluded);
        if (skippedEndpoints == null) {
            return null;
        }
        long turn;
        int skipped;
        do {
            turn = next.get();
            skipped = turnsToSkip(turn, skippedEndpoints);
        } while (!next.compareAndSet(turn, turn + skipped + 1));
        return endpoints[schedule[position(turn + skipped)]];
    }

    /** How many entries from {@code turn} on are skipped before one that is not: fewer than a period. */
    private int turnsToSkip(long turn, boolean[] skippedEndpoints) {
        int start = position(turn);
        int i = 0;
        // Every endpoint appears in each period of the schedule, and one is not skipped.
        while (skippedEndpoints[schedule[(start + i) % schedule.length]]) {
            i++;
        }
        return i;
    }

    private int position(long turn) {
        return (int) Math.floorMod(turn, (long) schedule.length);
    }

    @Override
    public String toString() {
        return "weightedRoundRobin" + Arrays.toString(endpoints);
    }
}
