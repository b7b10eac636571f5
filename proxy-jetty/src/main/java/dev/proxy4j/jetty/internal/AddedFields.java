package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.http.HttpField;
import org.jspecify.annotations.Nullable;

/**
 * The Jetty fields for headers the proxy adds to backend requests whose value repeats request
 * after request: X-Forwarded-Proto, X-Forwarded-Port, X-Forwarded-Host and X-Forwarded-For (one
 * site, one client) and Via. The last field made for each of those names is kept and added again
 * while the value is the same: no new {@link HttpField}, and no look-up of the name among Jetty's
 * known headers. Other names get a new field each time. One per event loop ({@link UpstreamPools});
 * the fields are immutable, so a use from another thread can only miss.
 */
final class AddedFields {

    private static final int XFF = 0;
    private static final int PROTO = 1;
    private static final int HOST = 2;
    private static final int PORT = 3;
    private static final int VIA = 4;

    private final @Nullable HttpField[] last = new HttpField[5];

    /** A field of {@code name} and {@code value}: the one made last time for them, or a new one. */
    HttpField field(String name, String value) {
        int kind = kindOf(name);
        if (kind < 0) {
            return new HttpField(name, value);
        }
        HttpField field = last[kind];
        if (field != null && field.getName().equals(name) && equal(field.getValue(), value)) {
            return field;
        }
        field = new HttpField(name, value);
        last[kind] = field;
        return field;
    }

    private static boolean equal(String a, String b) {
        return a == b || a.equals(b);
    }

    /** Which of the remembered names {@code name} is (as the forwarding policy writes it); -1 for none. */
    private static int kindOf(String name) {
        return switch (name.length()) {
            case 3 -> name.equals("Via") ? VIA : -1;
            case 15 -> name.equals("X-Forwarded-For") ? XFF : -1;
            case 16 -> name.equals("X-Forwarded-Host") ? HOST : name.equals("X-Forwarded-Port") ? PORT : -1;
            case 17 -> name.equals("X-Forwarded-Proto") ? PROTO : -1;
            default -> -1;
        };
    }
}
