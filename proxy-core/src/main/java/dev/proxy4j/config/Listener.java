package dev.proxy4j.config;

import dev.proxy4j.internal.Checks;
import dev.proxy4j.forward.Cidr;
import dev.proxy4j.upstream.Upstream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param sniPassthrough on a TLS listener, server names (lower-case) whose connections are not
 *     terminated but forwarded as raw TCP to the upstream named: the name is read from the
 *     ClientHello, the backend does the TLS; other names are the proxy's own TLS as usual
 */
public record Listener(String host, int port, Optional<TlsConfig> tls, List<String> proxyProtocolFrom,
        Map<String, Upstream> sniPassthrough) {

    public static final String ANY_HOST = "0.0.0.0";

    public Listener {
        Objects.requireNonNull(host, "host");
        Checks.port("port", port);
        Objects.requireNonNull(tls, "tls");
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
        for (String cidr : proxyProtocolFrom) {
            try {
                Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("proxyProtocolFrom: \"" + cidr
                        + "\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)", e);
            }
        }
        Map<String, Upstream> names = new LinkedHashMap<>();
        sniPassthrough.forEach((name, upstream) -> names.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(upstream)));
        sniPassthrough = Collections.unmodifiableMap(names);
        if (!sniPassthrough.isEmpty() && tls.isEmpty()) {
            throw new IllegalArgumentException("sniPassthrough: " + sniPassthrough.keySet()
                    + " (expected: on a TLS listener, whose ClientHellos carry the names)");
        }
    }

    public Listener(String host, int port, Optional<TlsConfig> tls) {
        this(host, port, tls, List.of(), Map.of());
    }

    public Listener(String host, int port, Optional<TlsConfig> tls, List<String> proxyProtocolFrom) {
        this(host, port, tls, proxyProtocolFrom, Map.of());
    }

    /** This listener, accepting the PROXY protocol from {@code cidrs}. */
    public Listener withProxyProtocolFrom(String... cidrs) {
        return new Listener(host, port, tls, List.of(cidrs), sniPassthrough);
    }

    /** This TLS listener, passing connections for {@code serverName} through to {@code upstream} untouched. */
    public Listener withSniPassthrough(String serverName, Upstream upstream) {
        Map<String, Upstream> names = new LinkedHashMap<>(sniPassthrough);
        names.put(serverName, upstream);
        return new Listener(host, port, tls, proxyProtocolFrom, names);
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
