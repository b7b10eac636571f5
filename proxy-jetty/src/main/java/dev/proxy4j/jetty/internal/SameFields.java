package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.jspecify.annotations.Nullable;

/**
 * Finds, for a core header on its way back into Jetty's fields, the Jetty field it was copied
 * from, so that the field itself is added again: no new {@link HttpField}, and no look-up of its
 * name among Jetty's known headers. A field is the same only when its name and value are the very
 * strings the core header holds (compared by reference, on purpose: equal text from elsewhere, a
 * filter's, say, is a field of its own). Core headers keep the order they were copied in, with
 * some left out and some added, so the search looks a few places ahead of the last match.
 */
final class SameFields {

    /** How far past the last match a field is looked for: past the few fields dropped between two kept ones. */
    private static final int LOOKAHEAD = 4;

    /** Jetty's array-backed fields (their classes are not public): what parsers and builders give. */
    private static final Class<?> MUTABLE = HttpFields.build().getClass();
    private static final Class<?> IMMUTABLE = HttpFields.build().add("a", "b").asImmutable().getClass();

    private SameFields() {
    }

    /** Whether {@code fields} can be searched by index at no cost (Jetty's array-backed fields). */
    static boolean searchable(@Nullable HttpFields fields) {
        return fields != null && (fields.getClass() == MUTABLE || fields.getClass() == IMMUTABLE);
    }

    /**
     * The index of the field of {@code origin} (of {@code size} fields, {@link #searchable}) at
     * {@code from} or a few after it whose name and value are {@code name} and {@code value}
     * themselves; -1 when there is none.
     */
    static int indexOf(HttpFields origin, int size, int from, String name, String value) {
        int end = Math.min(size, from + LOOKAHEAD);
        for (int i = from; i < end; i++) {
            HttpField field = origin.getField(i);
            if (field.getName() == name && field.getValue() == value) {
                return i;
            }
        }
        return -1;
    }
}
