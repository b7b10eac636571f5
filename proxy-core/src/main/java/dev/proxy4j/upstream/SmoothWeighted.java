package dev.proxy4j.upstream;

import org.jspecify.annotations.Nullable;

/**
 * nginx's smooth weighted round-robin ({@code ngx_http_upstream_get_peer}): every endpoint adds its
 * weight to its current weight; the one with the largest current weight wins (the first of equals)
 * and takes the sum of the weights off its current weight.
 */
final class SmoothWeighted {

    private SmoothWeighted() {
    }

    /**
     * One pick: the index of the winner, or -1 when {@code skipped} leaves none. Skipped endpoints
     * neither gain nor win, and the winner pays only the weights of the others, as nginx does for
     * peers already tried.
     */
    static int step(int[] weights, long[] current, boolean @Nullable [] skipped) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < weights.length; i++) {
            if (skipped != null && skipped[i]) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
            if (best == -1 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best != -1) {
            current[best] -= total;
        }
        return best;
    }

    /**
     * The indexes picked over one period, from the zero state. After {@code length} picks (the sum
     * of the weights) every endpoint has been picked {@code weight} times and the state is zero again.
     */
    static int[] schedule(int[] weights, int length) {
        long[] current = new long[weights.length];
        int[] schedule = new int[length];
        for (int i = 0; i < length; i++) {
            schedule[i] = step(weights, current, null);
        }
        return schedule;
    }
}
