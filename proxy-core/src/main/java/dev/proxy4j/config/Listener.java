package dev.proxy4j.config;

import dev.proxy4j.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * A port the proxy accepts clients on. Plain listeners serve HTTP/1.1 and h2c (prior knowledge
 * and upgrade); TLS listeners serve HTTP/1.1 and h2 chosen by ALPN.
 *
 * @param host the address to bind; {@code 0.0.0.0} (every interface) by default
 * @param port 0 picks a free port, read it back from the running server
 */
public record Listener(String host, int port, Optional<TlsConfig> tls) {

    public static final String ANY_HOST = "0.0.0.0";

    public Listener {
        Objects.requireNonNull(host, "host");
        Checks.port("port", port);
        Objects.requireNonNull(tls, "tls");
    }

    public static Listener plain(int port) {
        return new Listener(ANY_HOST, port, Optional.empty());
    }

    public static Listener plain(String host, int port) {
        return new Listener(host, port, Optional.empty());
    }

    public static Listener tls(String host, int port, TlsConfig tls) {
        return new Listener(host, port, Optional.of(tls));
    }

    public boolean isSecure() {
        return tls.isPresent();
    }
}
