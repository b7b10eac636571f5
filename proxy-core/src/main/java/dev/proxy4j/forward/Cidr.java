package dev.proxy4j.forward;

import dev.proxy4j.internal.IpAddresses;
import java.util.Arrays;
import java.util.Objects;

/** An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
public final class Cidr {

    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private Cidr(String text, byte[] network, int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    public static Cidr parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] bytes = IpAddresses.parse(address);
        if (bytes == null) {
            throw invalid(cidr);
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(cidr);
            }
            if (prefix < 0 || prefix > max) {
                throw invalid(cidr);
            }
        }
        return new Cidr(cidr, mask(bytes, prefix), prefix);
    }

    private static IllegalArgumentException invalid(String cidr) {
        return new IllegalArgumentException(
                "trustedProxy: \"" + cidr + "\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
    }

    /** True when {@code address} (an IP literal) lies in this network; false for anything else. */
    public boolean contains(String address) {
        byte[] bytes = IpAddresses.parse(address);
        return bytes != null && contains(bytes);
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(address, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - bits));
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
