package dev.proxy4j.context;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The TLS facts of a client connection: the server name the client asked for (SNI), when it sent
 * one, the negotiated protocol such as {@code TLSv1.3}, and the cipher suite.
 */
public record TlsInfo(@Nullable String serverName, String protocol, String cipherSuite) {

    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }

    /** The SNI server name, lower-cased as clients send it, when the client sent one. */
    public Optional<String> sni() {
        return Optional.ofNullable(serverName);
    }
}
