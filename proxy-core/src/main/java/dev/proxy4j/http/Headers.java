package dev.proxy4j.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of header fields. Names compare case-insensitively and keep the
 * case they arrived with; a name may repeat. Backed by one array, so copying a request's headers
 * costs one allocation.
 */
public final class Headers implements Iterable<Header> {

    private static final Headers EMPTY = new Headers(new String[0], 0);
    /**
     * The most unused array slots a built Headers keeps rather than copying its builder's array:
     * room for four fields (a builder sized for what the proxy may add often has that much left).
     */
    private static final int MAX_SLACK = 8;

    /** name0, value0, name1, value1, ..., then unused slots up to {@link #MAX_SLACK}. */
    private final String[] fields;
    /** How many slots of {@link #fields} hold names and values. */
    private final int length;

    private Headers(String[] fields, int length) {
        this.fields = fields;
        this.length = length;
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from alternating names and values: {@code Headers.of("Accept", "*\/*", "X-A", "1")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "namesAndValues: " + namesAndValues.length + " strings (expected: an even number)");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder(16);
    }

    /**
     * A builder with room for {@code fields} fields (it grows past them): a copy of a message's
     * headers sized to them allocates once, and {@link Builder#build()} of exactly that many
     * fields takes the builder's array as it is.
     */
    public static Builder builder(int fields) {
        if (fields < 0) {
            throw new IllegalArgumentException("fields: " + fields + " (expected: >= 0)");
        }
        return new Builder(Math.max(2, fields * 2));
    }

    public Builder toBuilder() {
        // Room for the few fields a proxy adds (X-Forwarded-*, Via, X-Request-Id) without growing.
        Builder builder = new Builder(Math.max(16, length + 16));
        System.arraycopy(fields, 0, builder.fields, 0, length);
        builder.size = length;
        return builder;
    }

    public int size() {
        return length / 2;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public String name(int index) {
        return fields[checkIndex(index) * 2];
    }

    public String value(int index) {
        return fields[checkIndex(index) * 2 + 1];
    }

    /** The first value of {@code name}, or null when absent. */
    public @Nullable String get(String name) {
        for (int i = 0; i < length; i += 2) {
            if (sameName(fields[i], name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** The last value of {@code name}, or null when absent. */
    public @Nullable String getLast(String name) {
        for (int i = length - 2; i >= 0; i -= 2) {
            if (sameName(fields[i], name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < length; i += 2) {
            if (sameName(fields[i], name)) {
                values.add(fields[i + 1]);
            }
        }
        return values;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    @Override
    public Iterator<Header> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < length;
            }

            @Override
            public Header next() {
                if (next >= length) {
                    throw new NoSuchElementException();
                }
                Header header = new Header(fields[next], fields[next + 1]);
                next += 2;
                return header;
            }
        };
    }

    private int checkIndex(int index) {
        return Objects.checkIndex(index, size());
    }

    /** Equal when the fields are the same, in the same order, names compared case-insensitively and values exactly. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Headers that) || that.length != length) {
            return false;
        }
        for (int i = 0; i < length; i += 2) {
            if (!fields[i].equalsIgnoreCase(that.fields[i]) || !fields[i + 1].equals(that.fields[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < length; i += 2) {
            hash = 31 * hash + fields[i].toLowerCase(java.util.Locale.ROOT).hashCode();
            hash = 31 * hash + fields[i + 1].hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < length; i += 2) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return text.append(']').toString();
    }

    /** Builds {@link Headers}; not thread-safe. */
    public static final class Builder {
        private String[] fields;
        private int size;
        /** Whether {@link #build()} handed {@code fields} to a Headers: the next change copies it first. */
        private boolean shared;

        private Builder(int capacity) {
            this.fields = new String[capacity];
        }

        /** Appends a field, keeping any fields of the same name. */
        public Builder add(String name, String value) {
            checkName(name);
            checkValue(name, value);
            if (size + 2 > fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
                shared = false;
            } else {
                unshare();
            }
            fields[size++] = name;
            fields[size++] = value;
            return this;
        }

        /** Replaces every field named {@code name} with one field, in place of the first. */
        public Builder set(String name, String value) {
            checkName(name);
            checkValue(name, value);
            unshare();
            int first = -1;
            int write = 0;
            for (int read = 0; read < size; read += 2) {
                if (sameName(fields[read], name)) {
                    if (first >= 0) {
                        continue;
                    }
                    first = write;
                    fields[write] = name;
                    fields[write + 1] = value;
                } else {
                    fields[write] = fields[read];
                    fields[write + 1] = fields[read + 1];
                }
                write += 2;
            }
            Arrays.fill(fields, write, size, null);
            size = write;
            if (first < 0) {
                add(name, value);
            }
            return this;
        }

        /** Removes every field named {@code name}. */
        public Builder remove(String name) {
            unshare();
            int write = 0;
            for (int read = 0; read < size; read += 2) {
                if (!sameName(fields[read], name)) {
                    fields[write] = fields[read];
                    fields[write + 1] = fields[read + 1];
                    write += 2;
                }
            }
            Arrays.fill(fields, write, size, null);
            size = write;
            return this;
        }

        public @Nullable String get(String name) {
            for (int i = 0; i < size; i += 2) {
                if (sameName(fields[i], name)) {
                    return fields[i + 1];
                }
            }
            return null;
        }

        public boolean contains(String name) {
            return get(name) != null;
        }

        public Headers build() {
            if (size == 0) {
                return EMPTY;
            }
            if (fields.length - size <= MAX_SLACK) {
                shared = true;
                return new Headers(fields, size);
            }
            return new Headers(Arrays.copyOf(fields, size), size);
        }

        private void unshare() {
            if (shared) {
                fields = fields.clone();
                shared = false;
            }
        }

        /** CR, LF or NUL in a value would split the field, and the message, wherever it is written. */
        private static void checkValue(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (dev.proxy4j.internal.Checks.hasCrLfOrNul(value)) {
                throw new IllegalArgumentException("header " + name + ": \""
                        + dev.proxy4j.internal.Checks.escaped(value) + "\" (expected: a value without CR, LF or NUL)");
            }
        }

        private static void checkName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name: \"\" (expected: a non-empty token)");
            }
            if (!dev.proxy4j.internal.Checks.isToken(name)) {
                throw new IllegalArgumentException(
                        "header name: \"" + name + "\" (expected: a token as RFC 9110 defines it)");
            }
        }
    }

    /**
     * Whether two field names are the same, in any case: {@code equalsIgnoreCase}, whose
     * character-by-character compare runs for every name of the same length (Connection and
     * User-Agent, say), after a look at the first characters, which tells most apart. Two ASCII
     * characters that are the same letter in any case differ in bit 0x20 at most.
     */
    static boolean sameName(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        if (!a.isEmpty()) {
            char x = a.charAt(0);
            char y = b.charAt(0);
            if (x < 0x80 && y < 0x80 && (x | 0x20) != (y | 0x20)) {
                return false;
            }
        }
        return a.equalsIgnoreCase(b);
    }
}
