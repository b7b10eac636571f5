package dev.proxy4j.upstream;

import dev.proxy4j.internal.XxHash64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A ketama ring over one snapshot's selectable members: member {@code i} gets
 * {@code weight * pointsPerWeight} points (nginx's {@code hash consistent} gives 160 a unit of
 * weight), point {@code k} being XXH64 of {@code "scheme://host:port_k"}. A key goes to the first
 * point at or after its hash, round the ring; a lookup is a binary search. Immutable.
 *
 * <p>A member's points depend on its own weight alone, so that adding or removing a member moves
 * only the keys of the points it brings or takes. (Envoy shares a minimum ring size out among the
 * members instead; then every change gives the others more or fewer points, and removing one of
 * five members moves about 9% of the others' keys as well.) Only when the ring would pass
 * {@code maxPoints} are points per weight cut for all, and that change moves other keys once.
 */
final class HashRing implements HashTable {

    private final EndpointState[] members;
    /** Sorted; each hash with its sign bit flipped, so that signed order is the hashes' unsigned order. */
    private final long[] points;
    private final int[] owners;

    HashRing(EndpointState[] members, int pointsPerWeight, int maxPoints) {
        this.members = members;
        int[] weights = new int[members.length];
        long totalWeight = 0;
        for (int i = 0; i < members.length; i++) {
            weights[i] = members[i].endpoint().weight();
            totalWeight += weights[i];
        }
        long perWeight = totalWeight == 0 ? 0 : Math.max(1, Math.min(pointsPerWeight, maxPoints / totalWeight));
        List<Point> ring = new ArrayList<>((int) (perWeight * totalWeight));
        for (int i = 0; i < members.length; i++) {
            String key = members[i].endpoint().key() + '_';
            for (int k = 0; k < weights[i] * perWeight; k++) {
                ring.add(new Point(XxHash64.hash(key + k, 0) ^ Long.MIN_VALUE, i));
            }
        }
        ring.sort(Comparator.comparingLong(Point::hash));
        this.points = new long[ring.size()];
        this.owners = new int[ring.size()];
        for (int p = 0; p < points.length; p++) {
            points[p] = ring.get(p).hash();
            owners[p] = ring.get(p).owner();
        }
    }

    private record Point(long hash, int owner) {
    }

    @Override
    public @Nullable EndpointState find(long hash, Set<Endpoint> excluded) {
        if (points.length == 0) {
            return null;
        }
        int at = Arrays.binarySearch(points, hash ^ Long.MIN_VALUE);
        if (at < 0) {
            at = -at - 1;
        }
        if (at == points.length) {
            at = 0;
        }
        return HashTable.walk(members, owners, at, excluded);
    }

    /** How many points the ring has. */
    int size() {
        return points.length;
    }
}
