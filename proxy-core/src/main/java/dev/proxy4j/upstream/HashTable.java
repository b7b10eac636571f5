package dev.proxy4j.upstream;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A consistent-hash lookup over one snapshot's selectable members: a {@link HashRing} or a {@link MaglevTable}. */
interface HashTable {

    /** The member for {@code hash}, or the next one along that is not excluded; null when there is none. */
    @Nullable EndpointState find(long hash, Set<Endpoint> excluded);

    /**
     * From slot {@code at} on, round the table, the first slot whose owner is not excluded: the
     * owner of {@code at} itself when nothing is excluded. Null when every member is.
     */
    static @Nullable EndpointState walk(EndpointState[] members, int[] owners, int at, Set<Endpoint> excluded) {
        if (excluded.isEmpty()) {
            return members[owners[at]];
        }
        boolean @Nullable [] skipped = Selectors.excludedFlags(members, excluded);
        if (skipped == null) {
            return null;
        }
        for (int i = 0; i < owners.length; i++) {
            int owner = owners[(at + i) % owners.length];
            if (!skipped[owner]) {
                return members[owner];
            }
        }
        return null;
    }
}
