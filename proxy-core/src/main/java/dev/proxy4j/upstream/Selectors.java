package dev.proxy4j.upstream;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the built-in selectors share. */
final class Selectors {

    private Selectors() {
    }

    /** The snapshot's selectable members, as an array. */
    static EndpointState[] toArray(EndpointGroup.Snapshot snapshot) {
        return snapshot.selectable().toArray(new EndpointState[0]);
    }

    /**
     * Whether {@code member} is one of {@code excluded}: the same endpoint, or the same URI and
     * address with another weight (its weight may have changed since it was tried).
     */
    static boolean isExcluded(Set<Endpoint> excluded, EndpointState member) {
        if (excluded.isEmpty()) {
            return false;
        }
        Endpoint endpoint = member.endpoint();
        if (excluded.contains(endpoint)) {
            return true;
        }
        for (Endpoint e : excluded) {
            if (e.uri().equals(endpoint.uri()) && java.util.Objects.equals(e.address(), endpoint.address())) {
                return true;
            }
        }
        return false;
    }

    /** For each member, whether it is in {@code excluded}; null when all of them are. */
    static boolean @Nullable [] excludedFlags(EndpointState[] members, Set<Endpoint> excluded) {
        boolean[] flags = new boolean[members.length];
        boolean anyLeft = false;
        for (int i = 0; i < members.length; i++) {
            flags[i] = isExcluded(excluded, members[i]);
            anyLeft |= !flags[i];
        }
        return anyLeft ? flags : null;
    }
}
