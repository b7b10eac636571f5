package dev.proxy4j.config;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.forward.Cidr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A port the proxy accepts clients on. Plain listeners serve HTTP/1.1 and h2c (prior knowledge
 * and upgrade); TLS listeners serve HTTP/1.1 and h2 chosen by ALPN.
 *
 * @param host the address to bind; {@code 0.0.0.0} (every interface) by default
 * @param port 0 picks a free port, read it back from the running server
 * @param proxyProtocolFrom networks (CIDR) whose connections may begin with a PROXY protocol header
 *     (v1 or v2, HAProxy's), which then gives the client's address; from anyone else such a header
 *     is a malformed request. Empty (the default): no PROXY protocol accepted
 */
public record Listener(String host, int port, Optional<TlsConfig> tls, List<String> proxyProtocolFrom) {

    public static final String ANY_HOST = "0.0.0.0";

    public Listener {
        Objects.requireNonNull(host, "host");
        Checks.port("port", port);
        Objects.requireNonNull(tls, "tls");
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
        for (String cidr : proxyProtocolFrom) {
            Cidr.parse(cidr);
        }
    }

    public Listener(String host, int port, Optional<TlsConfig> tls) {
        this(host, port, tls, List.of());
    }

    /** This listener, accepting the PROXY protocol from {@code cidrs}. */
    public Listener withProxyProtocolFrom(String... cidrs) {
        return new Listener(host, port, tls, List.of(cidrs));
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
