package dev.proxy4j.upstream;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What a selector works out from its group's snapshot (weights, a hash ring, a Maglev table), kept
 * until the group changes and made again by the first selection that sees a newer snapshot, never
 * per request. Lock-free, as {@link RotatingSelector}: two selections that see a change at once
 * may both make it, the first to publish wins, and one made for an older snapshot never replaces
 * one for a newer.
 */
final class PerSnapshot<T> {

    private record Made<T>(long version, T value) {
    }

    private final EndpointGroup group;
    private final Function<EndpointGroup.Snapshot, T> maker;
    private final AtomicReference<Made<T>> current;

    PerSnapshot(EndpointGroup group, Function<EndpointGroup.Snapshot, T> maker) {
        this.group = group;
        this.maker = maker;
        EndpointGroup.Snapshot snapshot = group.snapshot();
        this.current = new AtomicReference<>(new Made<>(snapshot.version(), maker.apply(snapshot)));
    }

    /** The value for the group's snapshot as it is now (or a newer one). */
    T get() {
        EndpointGroup.Snapshot snapshot = group.snapshot();
        while (true) {
            Made<T> made = current.get();
            if (made.version() >= snapshot.version()) {
                return made.value();
            }
            Made<T> next = new Made<>(snapshot.version(), maker.apply(snapshot));
            if (current.compareAndSet(made, next)) {
                return next.value();
            }
        }
    }
}
