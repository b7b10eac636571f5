package dev.proxy4j.config;

import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A port whose connections are forwarded as raw TCP (layer 4) to an endpoint of {@code upstream},
 * chosen by its balancer, with no HTTP in between: a database, a message broker, TLS the backend
 * terminates itself. Bytes flow both ways with backpressure; an end of input on one side shuts the
 * other's output; either side's close closes both.
 *
 * @param host the address to bind; {@code 0.0.0.0} by default
 * @param port 0 picks a free port
 * @param upstream where connections go; its connect timeout and retry policy apply to the connect
 * @param idleTimeout silence both ways for this long closes the connection; zero for none
 * @param proxyProtocol the PROXY protocol header sent first on each backend connection, so that the
 *     backend learns the client's address; empty for none (the default)
 * @param access the listener's own allow/deny, checked after the server-wide {@link IpAccess}
 *     filters (which apply to TCP connections too); a denied client's connection is closed at once
 *     and logged with status 403, as nginx's {@code stream} module does; empty for none (the default)
 */
public record TcpListener(String host, int port, Upstream upstream, Duration idleTimeout,
        Optional<ProxyProtocol> proxyProtocol, Optional<IpAccess> access) {

    /** Ten minutes of silence, as HAProxy's usual {@code timeout tunnel} for long-lived streams. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public TcpListener {
        Objects.requireNonNull(host, "host");
        Checks.port("port", port);
        Objects.requireNonNull(upstream, "upstream");
        Checks.positiveOrZero("idleTimeout", idleTimeout);
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        Objects.requireNonNull(access, "access");
    }

    public TcpListener(String host, int port, Upstream upstream, Duration idleTimeout,
            Optional<ProxyProtocol> proxyProtocol) {
        this(host, port, upstream, idleTimeout, proxyProtocol, Optional.empty());
    }

    public TcpListener(String host, int port, Upstream upstream, Duration idleTimeout) {
        this(host, port, upstream, idleTimeout, Optional.empty());
    }

    /** Every interface on {@code port}, to {@code upstream}, the default idle timeout. */
    public static TcpListener of(int port, Upstream upstream) {
        return new TcpListener(Listener.ANY_HOST, port, upstream, DEFAULT_IDLE_TIMEOUT);
    }

    public TcpListener withHost(String host) {
        return new TcpListener(host, port, upstream, idleTimeout, proxyProtocol, access);
    }

    public TcpListener withIdleTimeout(Duration timeout) {
        return new TcpListener(host, port, upstream, timeout, proxyProtocol, access);
    }

    public TcpListener withProxyProtocol(ProxyProtocol version) {
        return new TcpListener(host, port, upstream, idleTimeout, Optional.of(version), access);
    }

    /** The listener's own allow/deny (after the server-wide one). */
    public TcpListener withAccess(IpAccess rules) {
        return new TcpListener(host, port, upstream, idleTimeout, proxyProtocol, Optional.of(rules));
    }
}
