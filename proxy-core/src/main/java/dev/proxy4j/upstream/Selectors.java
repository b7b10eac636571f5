package dev.proxy4j.upstream;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the built-in selectors share. */
final class Selectors {

    private Selectors() {
    }

    /** A copy of {@code endpoints}, checked to be non-empty and free of nulls. */
    static Endpoint[] toArray(List<Endpoint> endpoints) {
        Endpoint[] array = List.copyOf(endpoints).toArray(new Endpoint[0]);
        if (array.length == 0) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
        }
        return array;
    }

    /** For each endpoint, whether it is in {@code excluded}; null when all of them are. */
    static boolean @Nullable [] excludedFlags(Endpoint[] endpoints, Set<Endpoint> excluded) {
        boolean[] flags = new boolean[endpoints.length];
        boolean anyLeft = false;
        for (int i = 0; i < endpoints.length; i++) {
            flags[i] = excluded.contains(endpoints[i]);
            anyLeft |= !flags[i];
        }
        return anyLeft ? flags : null;
    }
}
