package dev.proxy4j.upstream;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One backend server: an absolute {@code http} or {@code https} URI with no path, query, fragment
 * or user-info (such as {@code http://127.0.0.1:9000}), and a weight from 1 to 1000 that
 * weighted load balancers honour.
 *
 * <p>An endpoint may also carry the {@code address} its host name resolved to (see
 * {@link DnsResolution}): the proxy then connects to that address while the name stays the
 * request's Host and the TLS server name, as when it connects by name. {@code address} is null for
 * an endpoint the proxy connects to by its host.
 *
 * <p>Two endpoints are equal when their URIs, weights and addresses are; {@link Upstream} rejects a
 * second endpoint for the same scheme, host, port and address whatever its weight.
 */
public record Endpoint(URI uri, int weight, @Nullable InetAddress address) {

    /** The lowest weight. */
    public static final int MIN_WEIGHT = 1;
    /** The highest weight. */
    public static final int MAX_WEIGHT = 1000;

    /** An endpoint the proxy connects to by its host. */
    public Endpoint(URI uri, int weight) {
        this(uri, weight, null);
    }

    public Endpoint {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw invalid(uri, "an http or https URI");
        }
        if (uri.getHost() == null) {
            throw invalid(uri, "a URI with a host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw invalid(uri, "a port in 1..65535");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(uri, "no user-info");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw invalid(uri, "no path other than /");
        }
        if (uri.getRawQuery() != null) {
            throw invalid(uri, "no query");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(uri, "no fragment");
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException(
                    "weight: " + weight + " (expected: " + MIN_WEIGHT + ".." + MAX_WEIGHT + ")");
        }
    }

    /** An endpoint of weight 1, e.g. {@code Endpoint.of("http://127.0.0.1:9000")}. */
    public static Endpoint of(String uri) {
        return of(uri, MIN_WEIGHT);
    }

    /** An endpoint of the given weight, e.g. {@code Endpoint.of("https://api-2.internal", 3)}. */
    public static Endpoint of(String uri, int weight) {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "endpoint: \"" + uri + "\" (expected: an absolute http(s) URI such as http://127.0.0.1:9000)", e);
        }
        return new Endpoint(parsed, weight);
    }

    /** This endpoint connected to {@code address}, with the same URI (host name) and weight. */
    public Endpoint withAddress(InetAddress address) {
        return new Endpoint(uri, weight, Objects.requireNonNull(address, "address"));
    }

    /** The address the host resolved to, which the proxy connects to; empty when it connects by the host. */
    public Optional<InetAddress> resolvedAddress() {
        return Optional.ofNullable(address);
    }

    /**
     * Whether the host is an IP literal ({@code 10.0.0.1}, {@code [::1]}) rather than a name that
     * {@link DnsResolution} would look up. Decided from the text alone, with no lookup.
     */
    public boolean hasIpLiteralHost() {
        String host = host();
        if (host.startsWith("[")) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The host, lower-cased; IPv6 literals keep their brackets, e.g. {@code [::1]}. */
    public String host() {
        return uri.getHost().toLowerCase(Locale.ROOT);
    }

    /** The port, or the scheme's default (80 or 443) when the URI has none. */
    public int port() {
        int port = uri.getPort();
        return port != -1 ? port : defaultPort();
    }

    /** Whether the proxy talks TLS to this endpoint ({@code https}). */
    public boolean isSecure() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    /** host[:port] as it goes in a Host header: the port is left out when it is the scheme's default. */
    public String authority() {
        int port = port();
        return port == defaultPort() ? host() : host() + ':' + port;
    }

    /** The URI as given, followed by the resolved address in parentheses when there is one. */
    @Override
    public String toString() {
        return address == null ? uri.toString() : uri + " (" + address.getHostAddress() + ')';
    }

    /** What makes two endpoints the same server: scheme, host, port and the resolved address. */
    String key() {
        return address == null ? nameKey() : nameKey() + '@' + address.getHostAddress();
    }

    /** Scheme, host and port: what the endpoints resolved from one name share. */
    String nameKey() {
        return (isSecure() ? "https://" : "http://") + host() + ':' + port();
    }

    private int defaultPort() {
        return isSecure() ? 443 : 80;
    }

    private static IllegalArgumentException invalid(URI uri, String expected) {
        return new IllegalArgumentException("endpoint: \"" + uri + "\" (expected: " + expected + ")");
    }
}
