package dev.proxy4j.config;

import java.time.Duration;
import java.util.Objects;

/** Validation helpers; every message reads {@code "field: value (expected: ...)"}. */
public final class Checks {

    private Checks() {
    }

    public static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: positive)");
        }
        return value;
    }

    /** Zero means "no limit" for this field. */
    public static Duration positiveOrZero(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: positive, or zero for no limit)");
        }
        return value;
    }

    public static int port(String field, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..65535, 0 for any free port)");
        }
        return value;
    }

    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
