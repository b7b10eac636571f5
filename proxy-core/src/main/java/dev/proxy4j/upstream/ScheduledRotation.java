package dev.proxy4j.upstream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin from a schedule worked out in advance, walked by one atomic counter:
 * lock-free. With endpoints excluded it takes the next entry of the schedule that is not, and
 * moves the counter past the entries it skipped, so that the others share the excluded
 * endpoints' turns in proportion to their weights.
 */
final class ScheduledRotation extends Rotation {

    /** Indexes into {@link #members}, one period of nginx's order; every member is in it. */
    private final int[] schedule;

    ScheduledRotation(long version, EndpointState[] members, int[] schedule) {
        super(version, members);
        this.schedule = schedule;
    }

    @Override
    @Nullable EndpointState pick(AtomicLong next, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return members[schedule[position(next.getAndIncrement())]];
        }
        boolean[] skippedMembers = Selectors.excludedFlags(members, excluded);
        if (skippedMembers == null) {
            return null;
        }
        long turn;
        int skipped;
        do {
            turn = next.get();
            skipped = turnsToSkip(turn, skippedMembers);
        } while (!next.compareAndSet(turn, turn + skipped + 1));
        return members[schedule[position(turn + skipped)]];
    }

    /** How many entries from {@code turn} on are skipped before one that is not: fewer than a period. */
    private int turnsToSkip(long turn, boolean[] skippedMembers) {
        int start = position(turn);
        int i = 0;
        // Every member appears in each period of the schedule, and one is not skipped.
        while (skippedMembers[schedule[(start + i) % schedule.length]]) {
            i++;
        }
        return i;
    }

    private int position(long turn) {
        return (int) Math.floorMod(turn, (long) schedule.length);
    }
}
