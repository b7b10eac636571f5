package dev.proxy4j.upstream;

import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** The power of two choices: of two members drawn at random, the one with fewer requests in flight. */
final class Choices {

    private Choices() {
    }

    /**
     * The member with fewer requests in flight of two drawn at random from those not excluded (the
     * first drawn on a tie), with replacement or {@code distinct}; null when all are excluded.
     */
    static @Nullable EndpointState leastInFlight(EndpointState[] members, Set<Endpoint> excluded, boolean distinct,
            RandomGenerator random) {
        if (excluded.isEmpty()) {
            return pick(members, null, members.length, distinct, random);
        }
        int[] candidates = new int[members.length];
        int count = 0;
        for (int i = 0; i < members.length; i++) {
            if (!Selectors.isExcluded(excluded, members[i])) {
                candidates[count++] = i;
            }
        }
        return count == 0 ? null : pick(members, candidates, count, distinct, random);
    }

    private static EndpointState pick(EndpointState[] members, int @Nullable [] candidates, int count, boolean distinct,
            RandomGenerator random) {
        if (count == 1) {
            return members[candidates == null ? 0 : candidates[0]];
        }
        int first = random.nextInt(count);
        int second;
        if (distinct) {
            second = random.nextInt(count - 1);
            if (second >= first) {
                second++;
            }
        } else {
            second = random.nextInt(count);
        }
        EndpointState a = members[candidates == null ? first : candidates[first]];
        EndpointState b = members[candidates == null ? second : candidates[second]];
        return b.inFlight() < a.inFlight() ? b : a;
    }
}
