package dev.proxy4j.config;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.util.Locale;

/**
 * What happens to the header fields by which a backend names its software ({@code Server},
 * {@code X-Powered-By}) on their way to the client.
 *
 * <p>{@link #HIDE} is the default: the backend's versions are what a scanner looks for first, and
 * the edge is where they are cheapest to drop (Envoy overwrites {@code Server} by default, nginx
 * replaces it with its own; the proxy sends none of its own, so it is removed). They are removed as
 * the backend's answer arrives, before the route's filters see it; a filter may set its own, which is sent.
 */
public enum BackendIdentity {
    /** Remove the backend's {@code Server} and {@code X-Powered-By} (default). */
    HIDE,
    /** Pass them on as the backend sent them. */
    PASS;

    /** {@code hide} or {@code pass}, as the config file spells it. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this policy takes a response header of {@code name} out: Server or X-Powered-By, in any case, when hiding. */
    public boolean hides(String name) {
        return this == HIDE && isIdentity(name);
    }

    /** {@code response} as the client gets it from the backend: without the identity fields when hiding. */
    public ProxyResponse apply(ProxyResponse response) {
        Headers headers = response.headers();
        if (this == PASS) {
            return response;
        }
        int found = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (isIdentity(headers.name(i))) {
                found++;
            }
        }
        if (found == 0) {
            return response;
        }
        // One pass, one copy: the fields but the identity ones (this runs for every response).
        Headers.Builder kept = Headers.builder(headers.size() - found);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!isIdentity(name)) {
                kept.add(name, headers.value(i));
            }
        }
        return response.toBuilder().headers(kept.build()).build();
    }

    /** Server or X-Powered-By, in any case; by length first. */
    private static boolean isIdentity(String name) {
        return switch (name.length()) {
            case 6 -> name.equalsIgnoreCase("Server");
            case 12 -> name.equalsIgnoreCase("X-Powered-By");
            default -> false;
        };
    }
}
