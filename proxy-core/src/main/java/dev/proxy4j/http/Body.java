package dev.proxy4j.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response body. The proxy's own bodies (errors, a filter's answer) are {@link Bytes};
 * a backend's body is a stream the adapter owns and copies chunk by chunk without buffering.
 * A filter that only changes headers passes the body it got along untouched.
 */
public interface Body {

    /** The length in bytes, or -1 when unknown until the end (a chunked stream). */
    long length();

    static Body empty() {
        return Bytes.EMPTY;
    }

    static Body of(byte[] bytes) {
        return new Bytes(bytes.clone());
    }

    static Body ofUtf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A body held in memory. */
    final class Bytes implements Body {
        static final Bytes EMPTY = new Bytes(new byte[0]);

        private final byte[] bytes;

        private Bytes(byte[] bytes) {
            this.bytes = Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.length;
        }

        /** A copy of the bytes. */
        public byte[] toByteArray() {
            return bytes.clone();
        }

        /** The bytes themselves, for the adapter to write without a copy; never modify them. */
        public byte[] unsafeArray() {
            return bytes;
        }

        public String toUtf8() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Body.Bytes[" + bytes.length + " bytes]";
        }
    }
}
