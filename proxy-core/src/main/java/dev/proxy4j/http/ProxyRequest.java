package dev.proxy4j.http;

import dev.proxy4j.internal.Checks;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request as the proxy sees it: an immutable head, {@link #toBuilder()} makes a changed copy,
 * and its {@link #body()}, a stream from the client that goes on to the backend as it arrives. A
 * filter that only looks at the head never touches the body; one that replaces it fails the old one.
 *
 * <p>{@link #path()} and {@link #query()} are raw (still percent-encoded), as they arrived.
 * {@link #authority()} is the host (and port) the client asked for: the Host header for HTTP/1.1,
 * {@code :authority} for HTTP/2. {@link #clientAddress()} is the client's IP after trusted proxies
 * have been looked through; {@link #peerAddress()} is the address of the socket's other end.
 */
public final class ProxyRequest {

    private final String method;
    private final String scheme;
    private final String authority;
    private final String path;
    private final @Nullable String query;
    private final Headers headers;
    private final String protocol;
    private final String peerAddress;
    private final String clientAddress;
    private final String requestId;
    private final String upgrade;
    private final Body body;
    /** {@link #host()}, worked out on first use: routes ask for it once per host predicate. */
    private @Nullable String host;

    private ProxyRequest(Builder b) {
        this.method = b.method;
        this.scheme = b.scheme;
        this.authority = b.authority;
        this.path = b.path;
        this.query = b.query;
        this.headers = b.headers;
        this.protocol = b.protocol;
        this.peerAddress = b.peerAddress;
        this.clientAddress = b.clientAddress == null ? b.peerAddress : b.clientAddress;
        this.requestId = b.requestId;
        this.upgrade = b.upgrade;
        this.body = b.body;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Upper-case method token, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** {@code http} or {@code https}: how the client reached the proxy. */
    public String scheme() {
        return scheme;
    }

    /** host[:port] the client asked for; empty when the client sent none. */
    public String authority() {
        return authority;
    }

    /** The authority without its port, lower-cased. IPv6 literals keep their brackets. */
    public String host() {
        String h = host;
        if (h == null) {
            h = hostOf(authority);
            host = h;
        }
        return h;
    }

    /** Raw path, starting with {@code /}. */
    public String path() {
        return path;
    }

    /** Raw query without {@code ?}, or null when the request had none. */
    public @Nullable String query() {
        return query;
    }

    /** Path and query as they go on a request line. */
    public String pathAndQuery() {
        return query == null ? path : path + '?' + query;
    }

    public Headers headers() {
        return headers;
    }

    /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public String protocol() {
        return protocol;
    }

    public String peerAddress() {
        return peerAddress;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** The request's id: the client's X-Request-Id when it sent one, otherwise generated. */
    public String requestId() {
        return requestId;
    }

    /**
     * The protocol the client asks to switch this connection to ({@code websocket} from HTTP/1.1's
     * {@code Upgrade: websocket} with {@code Connection: upgrade}), or {@code ""} for a plain request.
     * Upgrade and Connection are hop-by-hop, so they are not among {@link #headers()}: this is what
     * is left of them. A route that allows the protocol opens a tunnel to the backend when the
     * backend agrees (101); otherwise the request goes on as a plain one. A filter that sets it to
     * {@code ""} refuses the switch.
     */
    public String upgrade() {
        return upgrade;
    }

    /** The body: {@link Body#empty()} for a request without one. Read once, by one reader. */
    public Body body() {
        return body;
    }

    @Override
    public String toString() {
        return method + ' ' + scheme + "://" + authority + pathAndQuery() + ' ' + protocol;
    }

    static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return (close < 0 ? authority : authority.substring(0, close + 1)).toLowerCase(Locale.ROOT);
        }
        int colon = authority.lastIndexOf(':');
        return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /** Builds a {@link ProxyRequest}. Defaults: GET, http, path "/", HTTP/1.1, address 127.0.0.1. */
    public static final class Builder {
        private String method = "GET";
        private String scheme = "http";
        private String authority = "";
        private String path = "/";
        private @Nullable String query;
        private Headers headers = Headers.empty();
        private String protocol = "HTTP/1.1";
        private String peerAddress = "127.0.0.1";
        private @Nullable String clientAddress;
        private String requestId = "";
        private String upgrade = "";
        private Body body = Body.empty();

        private Builder() {
        }

        private Builder(ProxyRequest r) {
            method = r.method;
            scheme = r.scheme;
            authority = r.authority;
            path = r.path;
            query = r.query;
            headers = r.headers;
            protocol = r.protocol;
            peerAddress = r.peerAddress;
            clientAddress = r.clientAddress;
            requestId = r.requestId;
            upgrade = r.upgrade;
            body = r.body;
        }

        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            if (!Checks.isToken(method)) {
                throw new IllegalArgumentException(
                        "method: \"" + Checks.escaped(method) + "\" (expected: a token such as GET)");
            }
            this.method = method;
            return this;
        }

        public Builder scheme(String scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme");
            return this;
        }

        public Builder authority(String authority) {
            Objects.requireNonNull(authority, "authority");
            if (Checks.hasControlOrSpace(authority)) {
                throw new IllegalArgumentException("authority: \"" + Checks.escaped(authority)
                        + "\" (expected: host[:port] without spaces or control characters)");
            }
            this.authority = authority;
            return this;
        }

        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path: \"" + Checks.escaped(path) + "\" (expected: starts with /)");
            }
            if (Checks.hasControlOrSpace(path)) {
                throw new IllegalArgumentException("path: \"" + Checks.escaped(path)
                        + "\" (expected: no spaces or control characters; percent-encode them)");
            }
            this.path = path;
            return this;
        }

        public Builder query(@Nullable String query) {
            if (query != null && Checks.hasControlOrSpace(query)) {
                throw new IllegalArgumentException("query: \"" + Checks.escaped(query)
                        + "\" (expected: no spaces or control characters; percent-encode them)");
            }
            this.query = query;
            return this;
        }

        /** Sets path and query from a request target such as {@code /a/b?x=1}. */
        public Builder pathAndQuery(String target) {
            int q = target.indexOf('?');
            return q < 0 ? path(target).query(null) : path(target.substring(0, q)).query(target.substring(q + 1));
        }

        public Builder headers(Headers headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        public Builder protocol(String protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        public Builder peerAddress(String peerAddress) {
            this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
            return this;
        }

        public Builder clientAddress(String clientAddress) {
            this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        /**
         * The protocol to switch to, as Upgrade names it (RFC 9110 7.8: a token, with an optional
         * {@code /version}), such as {@code websocket}; {@code ""} for none.
         */
        public Builder upgrade(String protocol) {
            Objects.requireNonNull(protocol, "upgrade");
            if (!protocol.isEmpty() && !Checks.isProtocol(protocol)) {
                throw new IllegalArgumentException(
                        "upgrade: \"" + protocol + "\" (expected: a protocol such as websocket)");
            }
            this.upgrade = protocol;
            return this;
        }

        public Builder body(Body body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        public ProxyRequest build() {
            return new ProxyRequest(this);
        }
    }
}
