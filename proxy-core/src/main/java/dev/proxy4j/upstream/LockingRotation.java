package dev.proxy4j.upstream;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin run pick by pick, for weights whose schedule would be too long to
 * work out in advance. nginx's algorithm changes every current weight on each pick, so a pick
 * holds a lock for one pass over the weights. Excluded endpoints sit out the pick, as in nginx.
 * It does not use the shared turn counter: its state is the current weights, which a new
 * rotation takes over for the members that stay, so that a change does not start every member
 * over (and a member that is always chosen last is not starved by frequent changes).
 */
final class LockingRotation extends Rotation {

    private final int[] weights;
    private final long[] current;

    LockingRotation(long version, EndpointState[] members, int[] weights, @Nullable Rotation previous) {
        super(version, members);
        this.weights = weights;
        this.current = new long[weights.length];
        if (previous instanceof LockingRotation before) {
            Map<EndpointState, Long> kept = new IdentityHashMap<>();
            synchronized (before.current) {
                for (int i = 0; i < before.members.length; i++) {
                    kept.put(before.members[i], before.current[i]);
                }
            }
            for (int i = 0; i < members.length; i++) {
                current[i] = kept.getOrDefault(members[i], 0L);
            }
        }
    }

    @Override
    @Nullable EndpointState pick(AtomicLong next, Set<Endpoint> excluded) {
        boolean @Nullable [] skipped = null;
        if (!excluded.isEmpty()) {
            skipped = Selectors.excludedFlags(members, excluded);
            if (skipped == null) {
                return null;
            }
        }
        int index;
        synchronized (current) {
            index = SmoothWeighted.step(weights, current, skipped);
        }
        return index < 0 ? null : members[index];
    }
}
