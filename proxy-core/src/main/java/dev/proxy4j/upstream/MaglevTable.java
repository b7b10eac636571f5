package dev.proxy4j.upstream;

import dev.proxy4j.internal.XxHash64;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maglev's lookup table (Eisenbud et al., NSDI 2016) over one snapshot's selectable members, with
 * Envoy's weighting: each member walks its own permutation of the table's slots (offset XXH64 of
 * {@code scheme://host:port} with seed 0, skip with seed 1, modulo the prime size) and takes the next
 * free slot in its turn, a member of half the top weight taking a turn every other round. A key
 * goes to slot {@code hash mod size}. Immutable; looked up in O(1).
 */
final class MaglevTable implements HashTable {

    private final EndpointState[] members;
    private final int[] owners;

    MaglevTable(EndpointState[] members, int size) {
        this.members = members;
        if (members.length == 0) {
            owners = new int[0];
            return;
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        long[] offset = new long[members.length];
        long[] skip = new long[members.length];
        long[] next = new long[members.length];
        long[] target = new long[members.length];
        int[] weights = new int[members.length];
        int heaviest = 0;
        for (int i = 0; i < members.length; i++) {
            weights[i] = members[i].endpoint().weight();
            String key = members[i].endpoint().key();
            offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), size);
            skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), size - 1) + 1;
            heaviest = Math.max(heaviest, weights[i]);
        }
        int filled = 0;
        for (long round = 1; filled < size; round++) {
            for (int i = 0; i < members.length && filled < size; i++) {
                if (round * weights[i] < target[i]) {
                    continue;
                }
                target[i] += heaviest;
                int slot = (int) ((offset[i] + skip[i] * next[i]) % size);
                while (table[slot] >= 0) {
                    next[i]++;
                    slot = (int) ((offset[i] + skip[i] * next[i]) % size);
                }
                table[slot] = i;
                next[i]++;
                filled++;
            }
        }
        this.owners = table;
    }

    @Override
    public @Nullable EndpointState find(long hash, Set<Endpoint> excluded) {
        if (owners.length == 0) {
            return null;
        }
        return HashTable.walk(members, owners, (int) Long.remainderUnsigned(hash, owners.length), excluded);
    }

    /** How many slots member {@code i} owns. */
    int slotsOf(int i) {
        int count = 0;
        for (int owner : owners) {
            count += owner == i ? 1 : 0;
        }
        return count;
    }
}
