package dev.proxy4j.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Decodes application/x-www-form-urlencoded text: {@code +} is a space, {@code %XX} a byte, and the
 * bytes are UTF-8. Malformed input (a short or non-hex escape, bytes that are not UTF-8) decodes to
 * null instead of throwing, since it comes from clients.
 */
public final class FormDecoding {

    private FormDecoding() {
    }

    /**
     * The decoded value of the first well-formed parameter {@code name} of a raw query ({@code a=1&b=2};
     * a bare {@code b} has the value {@code ""}), or null when there is none.
     */
    public static @Nullable String parameter(@Nullable String query, String name) {
        if (query == null) {
            return null;
        }
        int length = query.length();
        int start = 0;
        while (start < length) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int equals = start;
            while (equals < end && query.charAt(equals) != '=') {
                equals++;
            }
            if (end > start && name.equals(decode(query, start, equals))) {
                String value = equals == end ? "" : decode(query, equals + 1, end);
                if (value != null) {
                    return value;
                }
            }
            start = end + 1;
        }
        return null;
    }

    /** Decodes {@code text[from, to)}, or returns null when it is malformed. */
    public static @Nullable String decode(String text, int from, int to) {
        int i = from;
        while (i < to && text.charAt(i) != '%' && text.charAt(i) != '+') {
            i++;
        }
        if (i == to) {
            return text.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from).append(text, from, i);
        byte[] bytes = null;
        while (i < to) {
            char c = text.charAt(i);
            if (c != '%') {
                out.append(c == '+' ? ' ' : c);
                i++;
                continue;
            }
            if (bytes == null) {
                bytes = new byte[(to - i) / 3 + 1];
            }
            int count = 0;
            while (i < to && text.charAt(i) == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int high = hexValue(text.charAt(i + 1));
                int low = hexValue(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[count++] = (byte) (high << 4 | low);
                i += 3;
            }
            if (!appendUtf8(bytes, count, out)) {
                return null;
            }
        }
        return out.toString();
    }

    /** The value of a hexadecimal digit, or -1 when {@code c} is not one. */
    public static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean appendUtf8(byte[] bytes, int count, StringBuilder out) {
        try {
            out.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, count)));
            return true;
        } catch (CharacterCodingException malformed) {
            return false; // the caller treats the parameter as not matching
        }
    }
}
