package dev.proxy4j.route;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One byte range of a representation (RFC 9110 14.1.2): {@code bytes=0-99}, {@code bytes=100-},
 * {@code bytes=-100}, resolved against its length. Several ranges are not served: the whole
 * representation is (RFC 9110 allows ignoring Range).
 */
record ByteRange(long first, long last) {

    ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("range: " + first + "-" + last + " (expected: 0 <= first <= last)");
        }
    }

    long length() {
        return last - first + 1;
    }

    /** {@code bytes 0-99/1000}. */
    String contentRange(long size) {
        return "bytes " + first + '-' + last + '/' + size;
    }

    /** What a Range field asks of a representation of {@code size} bytes. */
    sealed interface Asked permits Whole, Part, Unsatisfiable {
    }

    /** Serve the whole: no range, several, another unit, or a malformed field. */
    record Whole() implements Asked {
    }

    /** Serve this part (206). */
    record Part(ByteRange range) implements Asked {
    }

    /** Nothing of the representation is in the range (416). */
    record Unsatisfiable() implements Asked {
    }

    static Asked parse(@Nullable String field, long size) {
        if (field == null) {
            return new Whole();
        }
        String value = field.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = value.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> from = number(spec.substring(0, dash));
        Optional<Long> to = number(spec.substring(dash + 1));
        if (dash == 0) {
            // a suffix: the last N bytes
            if (to.isEmpty()) {
                return new Whole();
            }
            long n = to.get();
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(Math.max(0, size - n), size - 1));
        }
        if (from.isEmpty() || dash < spec.length() - 1 && to.isEmpty()) {
            return new Whole();
        }
        long first = from.get();
        if (to.isPresent() && to.get() < first) {
            return new Whole(); // invalid: ignored, RFC 9110 14.1.1
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = to.map(t -> Math.min(t, size - 1)).orElse(size - 1);
        return new Part(new ByteRange(first, last));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(digits));
    }
}
