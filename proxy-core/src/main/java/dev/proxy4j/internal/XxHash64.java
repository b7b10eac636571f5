package dev.proxy4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * XXH64 (Yann Collet's xxHash, 64-bit): fast, well mixed, and the same on every machine and run,
 * so hash rings, Maglev tables and sticky-cookie values agree across restarts and across proxies.
 * It is Envoy's hash for ring hash and Maglev. Written out here (it is one screen) rather than
 * brought in with a library, so that core keeps no dependency beyond slf4j and jspecify; the tests
 * check it against the reference vectors.
 */
public final class XxHash64 {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private XxHash64() {
    }

    /** The hash of {@code text}'s UTF-8 bytes. */
    public static long hash(String text, long seed) {
        return hash(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    public static long hash(byte[] input, long seed) {
        int length = input.length;
        int p = 0;
        long h;
        if (length >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            int limit = length - 32;
            do {
                v1 = round(v1, (long) LONGS.get(input, p));
                v2 = round(v2, (long) LONGS.get(input, p + 8));
                v3 = round(v3, (long) LONGS.get(input, p + 16));
                v4 = round(v4, (long) LONGS.get(input, p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = seed + P5;
        }
        h += length;
        for (; p + 8 <= length; p += 8) {
            h ^= round(0, (long) LONGS.get(input, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (p + 4 <= length) {
            h ^= ((int) INTS.get(input, p) & 0xFFFF_FFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        for (; p < length; p++) {
            h ^= (input[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long value) {
        acc ^= round(0, value);
        return acc * P1 + P4;
    }
}
