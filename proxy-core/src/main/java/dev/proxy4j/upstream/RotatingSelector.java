package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The built-in selectors: a {@link Rotation} worked out from the group's snapshot, made again by
 * the first selection that sees a newer snapshot, and a turn counter shared by every rotation.
 * Lock-free: two selections that see a change at once may both work the rotation out, and the
 * first to publish it wins; a rotation for an older snapshot never replaces one for a newer.
 */
final class RotatingSelector implements EndpointSelector {

    private final String name;
    private final EndpointGroup group;
    /** Makes the rotation for a snapshot, given the one before it. */
    private final BiFunction<EndpointGroup.Snapshot, @Nullable Rotation, Rotation> planner;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReference<Rotation> rotation;

    RotatingSelector(String name, EndpointGroup group, BiFunction<EndpointGroup.Snapshot, @Nullable Rotation, Rotation> planner) {
        this.name = name;
        this.group = group;
        this.planner = planner;
        this.rotation = new AtomicReference<>(planner.apply(group.snapshot(), null));
    }

    @Override
    public @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
        return rotationFor(group.snapshot()).pick(next, excluded);
    }

    private Rotation rotationFor(EndpointGroup.Snapshot snapshot) {
        while (true) {
            Rotation current = rotation.get();
            if (current.version >= snapshot.version()) {
                return current;
            }
            Rotation made = planner.apply(snapshot, current);
            if (rotation.compareAndSet(current, made)) {
                return made;
            }
        }
    }

    @Override
    public String toString() {
        return name + group.snapshot().endpoints();
    }
}
