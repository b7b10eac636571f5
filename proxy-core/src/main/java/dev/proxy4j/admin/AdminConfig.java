package dev.proxy4j.admin;

import dev.proxy4j.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the admin listener binds, and the bearer token it asks for (none by default). The admin
 * listener is off unless configured, and binds to loopback unless told otherwise: it answers
 * {@code /reload} and shows the proxy's upstreams, which only the operator should reach.
 */
public record AdminConfig(String host, int port, Optional<String> token) {

    /** The admin listener binds here by default. */
    public static final String LOOPBACK = "127.0.0.1";

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("admin.host: \"" + host + "\" (expected: an address such as 127.0.0.1)");
        }
        Checks.port("admin.port", port);
        Objects.requireNonNull(token, "token");
        token.ifPresent(t -> {
            if (t.isEmpty() || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "admin.token: (hidden) (expected: one or more visible ASCII characters, no spaces)");
            }
        });
    }

    /** On loopback, port {@code port} (0 for a free one), no token. */
    public static AdminConfig onPort(int port) {
        return new AdminConfig(LOOPBACK, port, Optional.empty());
    }

    public AdminConfig withHost(String host) {
        return new AdminConfig(host, port, token);
    }

    /** Requests must carry {@code Authorization: Bearer <token>}; others get 401. */
    public AdminConfig withToken(String token) {
        return new AdminConfig(host, port, Optional.of(token));
    }

    @Override
    public String toString() {
        return "AdminConfig[" + host + ':' + port + (token.isPresent() ? ", token" : "") + ']';
    }
}
