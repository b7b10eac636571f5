package dev.proxy4j.forward;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.IpAddresses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns the request a client sent into the request the proxy forwards: hop-by-hop headers removed,
 * the client address resolved through trusted proxies, X-Forwarded-*, Forwarded, Via and
 * X-Request-Id set.
 *
 * <p>Trust works like nginx's {@code set_real_ip_from} with {@code real_ip_recursive on}: when the
 * socket peer is a trusted proxy, X-Forwarded-For is walked from the right, skipping trusted
 * addresses; the first untrusted address is the client (if all are trusted, the leftmost one is).
 * Headers a client sets for itself are believed only from trusted peers: from anyone else
 * X-Forwarded-*, Forwarded and X-Real-IP are dropped and replaced with what this proxy saw.
 *
 * <p>Defaults: no trusted proxies; emits X-Forwarded-For, -Proto, -Host, -Port, Via and X-Request-Id;
 * Forwarded is off (turn it on with {@link Builder#emit(Set)}); Via pseudonym {@code proxy4j}.
 */
public final class ForwardingPolicy {

    private static final ForwardingPolicy DEFAULTS = builder().build();

    private final List<Cidr> trustedProxies;
    private final Set<ForwardedHeader> emitted;
    private final String viaPseudonym;
    // What emitted holds, one field each: apply asks up to seven times per request.
    private final boolean emitsXff;
    private final boolean emitsProto;
    private final boolean emitsHost;
    private final boolean emitsPort;
    private final boolean emitsForwarded;
    private final boolean emitsVia;
    private final boolean emitsRequestId;
    /** The Via hop this proxy adds, by the client's protocol version: 1.1, 1.0, 2, 3 (made once, not per request). */
    /**
     * The X-Forwarded-Port of the last authority and scheme seen: a listener's requests name the
     * same one request after request, and the port's text is then neither parsed nor made again.
     * Shared by every thread applying the policy; each entry is immutable, so a race only misses.
     */
    private volatile PortText lastPort = new PortText("", "", "");

    private record PortText(String authority, String scheme, String text) {
    }

    private final String via11;
    private final String via10;
    private final String via2;
    private final String via3;

    private ForwardingPolicy(Builder b) {
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.emitted = Collections.unmodifiableSet(EnumSet.copyOf(b.emitted));
        this.viaPseudonym = b.viaPseudonym;
        this.emitsXff = emitted.contains(ForwardedHeader.X_FORWARDED_FOR);
        this.emitsProto = emitted.contains(ForwardedHeader.X_FORWARDED_PROTO);
        this.emitsHost = emitted.contains(ForwardedHeader.X_FORWARDED_HOST);
        this.emitsPort = emitted.contains(ForwardedHeader.X_FORWARDED_PORT);
        this.emitsForwarded = emitted.contains(ForwardedHeader.FORWARDED);
        this.emitsVia = emitted.contains(ForwardedHeader.VIA);
        this.emitsRequestId = emitted.contains(ForwardedHeader.X_REQUEST_ID);
        this.via11 = "1.1 " + viaPseudonym;
        this.via10 = "1.0 " + viaPseudonym;
        this.via2 = "2 " + viaPseudonym;
        this.via3 = "3 " + viaPseudonym;
    }

    public static ForwardingPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.trustedProxies.addAll(trustedProxies);
        b.emitted = EnumSet.noneOf(ForwardedHeader.class);
        b.emitted.addAll(emitted); // EnumSet.copyOf(Collection) rejects an empty set
        b.viaPseudonym = viaPseudonym;
        return b;
    }

    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    public Set<ForwardedHeader> emitted() {
        return emitted;
    }

    public String viaPseudonym() {
        return viaPseudonym;
    }

    public boolean isTrusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        byte[] bytes = IpAddresses.parse(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the policy to a request as it came off the wire: its headers are the client's,
     * {@link ProxyRequest#peerAddress()} is the socket peer. Returns the request with
     * {@link ProxyRequest#clientAddress()}, {@link ProxyRequest#requestId()} and the headers set.
     */
    public ProxyRequest apply(ProxyRequest incoming) {
        Headers in = incoming.headers();
        String peer = incoming.peerAddress();
        boolean trustedPeer = isTrusted(peer);
        Set<String> named = HopByHop.connectionOptions(in);

        // One pass: drop hop-by-hop headers, drop what an untrusted client may not say about itself,
        // and take aside the headers this proxy appends to; everything else keeps its place.
        // The incoming fields and the eight this may add, at most (TE, X-Forwarded-*, Forwarded, Via, X-Request-Id).
        Headers.Builder out = Headers.builder(in.size() + 8);
        String incomingXff = null;
        String incomingForwarded = null;
        String incomingVia = null;
        String incomingRequestId = null;
        boolean hasProto = false;
        boolean hasHost = false;
        boolean hasPort = false;
        boolean teTrailers = false;
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            String value = in.value(i);
            if (HopByHop.isDropped(name, named)) {
                // TE is hop-by-hop, but "trailers" only says that trailers are understood, which
                // holds end to end through this proxy (it relays them): gRPC requires it.
                if (!teTrailers && HopByHop.isTeTrailers(name, value)) {
                    teTrailers = true;
                    out.add("TE", "trailers");
                }
                continue;
            }
            Kind kind = classify(name);
            switch (kind) {
                case XFF -> {
                    incomingXff = incomingXff == null ? value : incomingXff + ", " + value;
                    if (trustedPeer && !emitsXff) {
                        out.add(name, value);
                    }
                }
                case PROTO, HOST, PORT, REAL_IP -> {
                    if (trustedPeer) {
                        hasProto |= kind == Kind.PROTO;
                        hasHost |= kind == Kind.HOST;
                        hasPort |= kind == Kind.PORT;
                        out.add(name, value);
                    }
                }
                case FORWARDED -> {
                    if (trustedPeer) {
                        incomingForwarded = incomingForwarded == null ? value : incomingForwarded + ", " + value;
                        if (!emitsForwarded) {
                            out.add(name, value);
                        }
                    }
                }
                case VIA -> {
                    incomingVia = incomingVia == null ? value : incomingVia + ", " + value;
                    if (!emitsVia) {
                        out.add(name, value);
                    }
                }
                case REQUEST_ID -> {
                    if (incomingRequestId == null) {
                        incomingRequestId = value;
                    }
                    if (!emitsRequestId) {
                        out.add(name, value);
                    }
                }
                default -> out.add(name, value);
            }
        }

        String client = trustedPeer ? realClient(incomingXff, peer) : peer;
        if (emitsXff) {
            out.add("X-Forwarded-For", trustedPeer && incomingXff != null ? incomingXff + ", " + peer : peer);
        }
        if (emitsProto && !hasProto) {
            out.add("X-Forwarded-Proto", incoming.scheme());
        }
        if (emitsHost && !hasHost && !incoming.authority().isEmpty()) {
            out.add("X-Forwarded-Host", incoming.authority());
        }
        if (emitsPort && !hasPort) {
            out.add("X-Forwarded-Port", portText(incoming));
        }
        if (emitsForwarded) {
            String element = forwardedElement(incoming);
            out.add("Forwarded", incomingForwarded == null ? element : incomingForwarded + ", " + element);
        }
        if (emitsVia) {
            String hop = viaHop(incoming.protocol());
            out.add("Via", incomingVia == null ? hop : incomingVia + ", " + hop);
        }
        String requestId = incomingRequestId != null && RequestIds.isAcceptable(incomingRequestId)
                ? incomingRequestId
                : RequestIds.next();
        if (emitsRequestId) {
            out.add("X-Request-Id", requestId);
        }
        return incoming.toBuilder()
                .headers(out.build())
                .clientAddress(client)
                .requestId(requestId)
                .build();
    }

    private enum Kind { XFF, PROTO, HOST, PORT, REAL_IP, FORWARDED, VIA, REQUEST_ID, OTHER }

    /** Which of the headers this policy reads a name is; by length first, so most names cost one switch. */
    private static Kind classify(String name) {
        return switch (name.length()) {
            case 3 -> name.equalsIgnoreCase("via") ? Kind.VIA : Kind.OTHER;
            case 9 -> name.equalsIgnoreCase("forwarded") ? Kind.FORWARDED
                    : name.equalsIgnoreCase("x-real-ip") ? Kind.REAL_IP : Kind.OTHER;
            case 12 -> name.equalsIgnoreCase("x-request-id") ? Kind.REQUEST_ID : Kind.OTHER;
            case 15 -> name.equalsIgnoreCase("x-forwarded-for") ? Kind.XFF : Kind.OTHER;
            case 16 -> name.equalsIgnoreCase("x-forwarded-host") ? Kind.HOST
                    : name.equalsIgnoreCase("x-forwarded-port") ? Kind.PORT : Kind.OTHER;
            case 17 -> name.equalsIgnoreCase("x-forwarded-proto") ? Kind.PROTO : Kind.OTHER;
            default -> Kind.OTHER;
        };
    }

    /** nginx real_ip_recursive: rightmost untrusted address of XFF + peer; the leftmost if all are trusted. */
    private String realClient(@Nullable String xff, String peer) {
        if (xff == null) {
            return peer;
        }
        String[] hops = xff.split(",");
        String candidate = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = IpAddresses.withoutPort(hops[i]);
            if (IpAddresses.parse(hop) == null) {
                return candidate; // garbage in the chain: stop at the last good hop, as nginx does
            }
            candidate = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return candidate;
    }

    /** The port the client addressed, as text: {@link #portOf}, remembered for the last authority and scheme. */
    private String portText(ProxyRequest request) {
        PortText last = lastPort;
        if (last.authority().equals(request.authority()) && last.scheme().equals(request.scheme())) {
            return last.text();
        }
        String text = Integer.toString(portOf(request));
        lastPort = new PortText(request.authority(), request.scheme(), text);
        return text;
    }

    private static int portOf(ProxyRequest request) {
        String authority = request.authority();
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon > close) {
            try {
                return Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                // fall through to the scheme's default
            }
        }
        return "https".equals(request.scheme()) ? 443 : 80;
    }

    private static String forwardedElement(ProxyRequest request) {
        StringBuilder element = new StringBuilder("for=").append(forwardedNode(request.peerAddress()));
        if (!request.authority().isEmpty()) {
            element.append(";host=").append(quoteIfNeeded(request.authority()));
        }
        return element.append(";proto=").append(request.scheme()).toString();
    }

    private static String forwardedNode(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }

    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) {
                return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        }
        return value;
    }

    private String viaHop(String protocol) {
        return switch (protocol) {
            case "HTTP/1.1" -> via11;
            case "HTTP/1.0" -> via10;
            case "HTTP/2.0", "HTTP/2" -> via2;
            case "HTTP/3.0", "HTTP/3" -> via3;
            default -> via11;
        };
    }

    /** Builds a {@link ForwardingPolicy}. */
    public static final class Builder {
        private final List<Cidr> trustedProxies = new ArrayList<>();
        private EnumSet<ForwardedHeader> emitted = EnumSet.complementOf(EnumSet.of(ForwardedHeader.FORWARDED));
        private String viaPseudonym = "proxy4j";

        private Builder() {
        }

        /** Peers (IP or CIDR) whose X-Forwarded-* and Forwarded headers are believed. */
        public Builder trustedProxies(String... cidrs) {
            for (String cidr : cidrs) {
                trustedProxies.add(Cidr.parse(cidr));
            }
            return this;
        }

        /** Exactly these headers are emitted; all others of the set are left as the trust rules leave them. */
        public Builder emit(Set<ForwardedHeader> headers) {
            Objects.requireNonNull(headers, "headers");
            this.emitted = headers.isEmpty() ? EnumSet.noneOf(ForwardedHeader.class) : EnumSet.copyOf(headers);
            return this;
        }

        public Builder viaPseudonym(String pseudonym) {
            Objects.requireNonNull(pseudonym, "viaPseudonym");
            if (pseudonym.isEmpty() || pseudonym.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == ',')) {
                throw new IllegalArgumentException(
                        "viaPseudonym: \"" + pseudonym + "\" (expected: a token without spaces or commas)");
            }
            this.viaPseudonym = pseudonym;
            return this;
        }

        public ForwardingPolicy build() {
            return new ForwardingPolicy(this);
        }
    }
}
