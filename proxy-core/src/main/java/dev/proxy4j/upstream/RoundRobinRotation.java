package dev.proxy4j.upstream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Each member in turn, by one atomic counter: lock-free. With endpoints excluded it takes the
 * first one not excluded from its turn on, and moves the counter past the turns it skipped, so
 * that the others share the excluded endpoints' turns in order (a, b, c with b excluded: a, c, a, c).
 */
final class RoundRobinRotation extends Rotation {

    RoundRobinRotation(long version, EndpointState[] members) {
        super(version, members);
    }

    @Override
    @Nullable EndpointState pick(AtomicLong next, Set<Endpoint> excluded) {
        if (members.length == 0) {
            return null;
        }
        if (excluded.isEmpty()) {
            return members[index(next.getAndIncrement())];
        }
        long turn;
        int skipped;
        do {
            turn = next.get();
            skipped = turnsToSkip(turn, excluded);
            if (skipped < 0) {
                return null;
            }
        } while (!next.compareAndSet(turn, turn + skipped + 1));
        return members[index(turn + skipped)];
    }

    /** How many turns from {@code turn} on fall on excluded endpoints before one that is not; -1 if all do. */
    private int turnsToSkip(long turn, Set<Endpoint> excluded) {
        int start = index(turn);
        for (int i = 0; i < members.length; i++) {
            if (!Selectors.isExcluded(excluded, members[(start + i) % members.length])) {
                return i;
            }
        }
        return -1;
    }

    private int index(long turn) {
        return (int) Math.floorMod(turn, (long) members.length);
    }
}
