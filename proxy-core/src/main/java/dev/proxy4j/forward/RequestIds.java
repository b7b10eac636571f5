package dev.proxy4j.forward;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 32 lower-case hex digits of randomness, and the check a client-sent id must pass. */
public final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** A new id: 128 random bits in hex, like a UUID without dashes, without SecureRandom's cost. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id);
    }

    /** A client's id is kept when it is 1..128 visible ASCII characters without separators that break logs. */
    public static boolean isAcceptable(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 127 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
