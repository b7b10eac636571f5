package dev.proxy4j.context;

import java.util.Objects;

/**
 * A typed key for a request attribute, compared by identity: two keys with the same name are
 * different keys. Keep keys in static final fields.
 *
 * <pre>{@code
 * static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
 * ctx.setAttr(TENANT, "acme");
 * ctx.attr(TENANT).orElse("none");
 * }</pre>
 */
public final class AttributeKey<T> {

    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
        }
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + ']';
    }
}
