package dev.proxy4j.config.file;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A value of the parsed file and where it is ({@code routes[1].upstream}). Every conversion fails
 * with a {@link ConfigException} that names the path, the value and what was expected.
 */
final class Value {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** Binary units, also in nginx's short form ({@code 64m} is 64 MiB). */
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB|[kKmMgG])?");
    /** A builder's own message, {@code "weight: 0 (expected: 1..1000)"}: the leading name gives way to the path. */
    private static final Pattern BUILDER_MESSAGE = Pattern.compile("[A-Za-z][\\w ]*: (.*)", Pattern.DOTALL);

    private final String path;
    private final @Nullable Object raw;

    Value(String path, @Nullable Object raw) {
        this.path = path;
        this.raw = raw;
    }

    String path() {
        return path;
    }

    @Nullable Object raw() {
        return raw;
    }

    boolean isMap() {
        return raw instanceof Map;
    }

    boolean isString() {
        return raw instanceof String;
    }

    boolean isBool() {
        return raw instanceof Boolean;
    }

    /** A mapping whose keys must all be among {@code allowed}; an unknown key is an error naming it. */
    Section section(String... allowed) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw invalid("a mapping with keys " + String.join(", ", allowed));
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new ConfigException(path, "key " + show(entry.getKey()) + " (expected: a name)");
            }
            if (!List.of(allowed).contains(key)) {
                throw new ConfigException(child(key), "unknown key (expected: one of " + String.join(", ", allowed) + ")");
            }
            entries.put(key, entry.getValue());
        }
        return new Section(this, entries);
    }

    /** A mapping of names to values, such as {@code upstreams}. */
    Map<String, Value> namedEntries() {
        if (!(raw instanceof Map<?, ?> map)) {
            throw invalid("a mapping of names to values");
        }
        Map<String, Value> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || key.isBlank()) {
                throw new ConfigException(path, "key " + show(entry.getKey()) + " (expected: a name)");
            }
            entries.put(key, new Value(child(key), entry.getValue()));
        }
        return entries;
    }

    List<Value> list() {
        if (!(raw instanceof List<?> items)) {
            throw invalid("a list");
        }
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            values.add(new Value(path + '[' + i + ']', items.get(i)));
        }
        return values;
    }

    /** A list, or a single item written without one ({@code host: a.example} for {@code host: [a.example]}). */
    List<Value> listOrOne() {
        return raw instanceof List ? list() : List.of(this);
    }

    List<String> strings() {
        return listOrOne().stream().map(Value::string).toList();
    }

    String string() {
        if (!(raw instanceof String s)) {
            throw invalid("a string");
        }
        return s;
    }

    boolean bool() {
        if (!(raw instanceof Boolean b)) {
            throw invalid("true or false");
        }
        return b;
    }

    int integer(int min, int max) {
        if (raw instanceof Integer n && n >= min && n <= max) {
            return n;
        }
        throw invalid("a whole number " + min + ".." + max);
    }

    /** A number, whole or not ({@code 2}, {@code 1.5}). */
    double number() {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Double) {
            return ((Number) raw).doubleValue();
        }
        throw invalid("a number");
    }

    /** {@code 250ms}, {@code 5s}, {@code 1m}, {@code 2h}, or several ({@code 1m30s}); {@code 0} alone for zero. */
    Duration duration() {
        if (raw instanceof Integer n && n == 0) {
            return Duration.ZERO;
        }
        if (raw instanceof String s && !s.isEmpty()) {
            Matcher m = DURATION_PART.matcher(s);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long amount = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> Duration.ofHours(amount);
                });
                end = m.end();
            }
            if (end == s.length()) {
                return total;
            }
        }
        throw invalid("a duration such as 250ms, 5s, 1m, 2h or 1m30s");
    }

    /** Bytes: a whole number, or one with KiB, MiB or GiB ({@code 16KiB}). */
    long size() {
        if (raw instanceof Integer || raw instanceof Long) {
            long n = ((Number) raw).longValue();
            if (n >= 0) {
                return n;
            }
        } else if (raw instanceof String s) {
            Matcher m = SIZE.matcher(s);
            if (m.matches()) {
                long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                    case "KiB", "k", "K" -> 1L << 10;
                    case "MiB", "m", "M" -> 1L << 20;
                    default -> 1L << 30;
                };
                BigInteger bytes = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unit));
                if (bytes.bitLength() < 63) {
                    return bytes.longValue();
                }
            }
        }
        throw invalid("a size in bytes such as 1048576, 16KiB, 100MiB or 1GiB");
    }

    /** One of {@code choices}, as written in the file. */
    String choice(String... choices) {
        if (raw instanceof String s && List.of(choices).contains(s)) {
            return s;
        }
        throw invalid("one of " + String.join(", ", choices));
    }

    /** Runs a builder call; its IllegalArgumentException or IllegalStateException is reported at this path. */
    <T> T build(Supplier<T> call) {
        try {
            return call.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = String.valueOf(e.getMessage());
            Matcher m = BUILDER_MESSAGE.matcher(message);
            throw new ConfigException(path, m.matches() ? m.group(1) : message, e);
        }
    }

    void run(Runnable call) {
        build(() -> {
            call.run();
            return null;
        });
    }

    ConfigException invalid(String expected) {
        return new ConfigException(path, show(raw) + " (expected: " + expected + ")");
    }

    String child(String key) {
        return path.isEmpty() ? key : path + '.' + key;
    }

    static String show(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            String text = value.toString();
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
        return value.toString();
    }

    /** The keys of one mapping, each looked up once. */
    static final class Section {
        private final Value owner;
        private final Map<String, Object> entries;

        private Section(Value owner, Map<String, Object> entries) {
            this.owner = owner;
            this.entries = entries;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        @Nullable Value get(String key) {
            return entries.containsKey(key) ? new Value(owner.child(key), entries.get(key)) : null;
        }

        Value require(String key) {
            Value value = get(key);
            if (value == null) {
                throw new ConfigException(owner.child(key), "missing (expected: a value)");
            }
            return value;
        }

        /** Exactly one of {@code keys} is present: its name, or an error naming them. */
        @Nullable String oneOf(boolean required, String... keys) {
            String found = null;
            for (String key : keys) {
                if (entries.containsKey(key)) {
                    if (found != null) {
                        throw new ConfigException(owner.child(key), "conflicts with " + found
                                + " (expected: only one of " + String.join(", ", keys) + ")");
                    }
                    found = key;
                }
            }
            if (found == null && required) {
                throw new ConfigException(owner.path(), "none of " + String.join(", ", keys)
                        + " (expected: exactly one)");
            }
            return found;
        }

        Value owner() {
            return owner;
        }
    }
}
