package dev.proxy4j.upstream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link RotatingSelector} walks one snapshot's selectable members. Made once per snapshot
 * and immutable but for what its picks share; the turn counter belongs to the selector, so the
 * rotation goes on across snapshots instead of starting over at the first member.
 */
abstract class Rotation {

    /** The snapshot this rotation was made from. */
    final long version;
    final EndpointState[] members;

    Rotation(long version, EndpointState[] members) {
        this.version = version;
        this.members = members;
    }

    /** The next member not in {@code excluded}, taking turns from {@code next}; null when none is left. */
    abstract @Nullable EndpointState pick(AtomicLong next, Set<Endpoint> excluded);
}
