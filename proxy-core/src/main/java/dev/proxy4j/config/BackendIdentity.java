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

    /** {@code response} as the client gets it from the backend: without the identity fields when hiding. */
    public ProxyResponse apply(ProxyResponse response) {
        Headers headers = response.headers();
        if (this == PASS || (!headers.contains("Server") && !headers.contains("X-Powered-By"))) {
            return response;
        }
        return response.toBuilder().headers(headers.toBuilder().remove("Server").remove("X-Powered-By").build()).build();
    }
}
