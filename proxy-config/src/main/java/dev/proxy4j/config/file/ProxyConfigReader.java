package dev.proxy4j.config.file;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.config.Limits;
import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.filter.SecurityHeaders;
import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.upstream.Upstream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.log.AccessLogFormat;
import dev.proxy4j.metrics.ProxyMetricsProvider;
import java.util.Optional;

/** The whole document: onto {@link ProxyConfig.Builder}. */
final class ProxyConfigReader {

    static final String[] TOP_LEVEL = {"listeners", "upstreams", "routes", "tcp", "cache", "access", "apiKeys", "jwt",
            "rateLimits", "securityHeaders", "compression", "cacheHeaders", "forwarding", "timeouts", "limits", "hygiene",
            "drainTimeout", "eventLoops", "clientIdleTimeout", "accessLog", "accessLogFormat", "admin", "metrics",
            "tracing", "waf", "backendIdentity"};

    private ProxyConfigReader() {
    }

    /** @param baseDirectory relative certificate and key paths are resolved against it */
    static ProxyConfig read(Value root, Path baseDirectory) {
        Value.Section s = root.section(TOP_LEVEL);
        ProxyConfig.Builder b = ProxyConfig.builder();
        // HTTP listeners and routes, TCP listeners, or both.
        boolean http = s.has("listeners") || !s.has("tcp");
        if (http) {
            Value listeners = s.require("listeners");
            if (listeners.list().isEmpty()) {
                throw listeners.invalid("at least one listener such as {port: 8080}");
            }
            for (Value listener : listeners.list()) {
                b.listener(listener(listener, baseDirectory));
            }
        }
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        Value v;
        if ((v = s.get("upstreams")) != null) {
            v.namedEntries().forEach((name, upstream) -> upstreams.put(name, UpstreamReader.read(upstream, name)));
        }
        if ((v = s.get("access")) != null) {
            // Server-wide: before routing, for every request.
            b.filter(access(v));
        }
        if ((v = s.get("apiKeys")) != null) {
            b.filter(ApiKeysReader.read(v));
        }
        if ((v = s.get("jwt")) != null) {
            b.filter(JwtReader.read(v, baseDirectory));
        }
        if ((v = s.get("rateLimits")) != null) {
            RateLimitReader.read(v).forEach(b::filter);
        }
        if ((v = s.get("securityHeaders")) != null) {
            b.filter(securityHeaders(v));
        }
        if ((v = s.get("compression")) != null) {
            b.compression(compression(v));
        }
        if ((v = s.get("cacheHeaders")) != null) {
            b.filter(cacheHeaders(v));
        }
        boolean sharedCache = false;
        if ((v = s.get("cache")) != null) {
            b.cache(CacheReader.cache(v));
            sharedCache = true;
        }
        if ((v = s.get("backendIdentity")) != null) {
            b.backendIdentity(v.choice("hide", "pass").equals("pass")
                    ? dev.proxy4j.config.BackendIdentity.PASS : dev.proxy4j.config.BackendIdentity.HIDE);
        }
        dev.proxy4j.waf.Waf waf = null;
        if ((v = s.get("waf")) != null) {
            waf = WafReader.read(v);
            if (waf != null) {
                b.waf(waf);
            }
        }
        if (http) {
            Value routes = s.require("routes");
            if (routes.list().isEmpty()) {
                throw routes.invalid("at least one route");
            }
            for (Value route : routes.list()) {
                b.route(RouteReader.read(route, upstreams, baseDirectory, sharedCache, waf));
            }
        }
        if ((v = s.get("tcp")) != null) {
            if (v.list().isEmpty()) {
                throw v.invalid("at least one TCP listener such as {port: 5432, upstream: \"10.0.0.5:5432\"}");
            }
            for (Value tcp : v.list()) {
                b.tcp(tcp(tcp, upstreams));
            }
        }
        if ((v = s.get("forwarding")) != null) {
            b.forwarding(forwarding(v));
        }
        if ((v = s.get("timeouts")) != null) {
            ProxyConfigReader.timeouts(v, b::responseHeadersTimeout, b::idleTimeout, b::totalTimeout);
        }
        if ((v = s.get("limits")) != null) {
            Value.Section l = v.section("maxRequestHeaderBytes", "maxRequestBodyBytes", "maxRequestHeaderCount",
                    "maxConnectionsPerIp", "maxConnectionsPerListener");
            Value at;
            if ((at = l.get("maxRequestHeaderBytes")) != null) {
                Value x = at;
                long bytes = x.size();
                x.run(() -> b.maxRequestHeaderBytes((int) Math.min(bytes, Integer.MAX_VALUE)));
            }
            if ((at = l.get("maxRequestBodyBytes")) != null) {
                Value x = at;
                long bytes = "unlimited".equals(x.raw()) ? Limits.UNLIMITED : x.size();
                x.run(() -> b.maxRequestBodyBytes(bytes));
            }
            if ((at = l.get("maxRequestHeaderCount")) != null) {
                Value x = at;
                int count = x.integer(1, Limits.MAX_REQUEST_HEADER_COUNT);
                x.run(() -> b.maxRequestHeaderCount(count));
            }
            if ((at = l.get("maxConnectionsPerIp")) != null) {
                b.maxConnectionsPerIp(at.integer(0, 10_000_000));
            }
            if ((at = l.get("maxConnectionsPerListener")) != null) {
                b.maxConnectionsPerListener(at.integer(0, 10_000_000));
            }
        }
        if ((v = s.get("hygiene")) != null) {
            hygiene(v, b);
        }
        if ((v = s.get("drainTimeout")) != null) {
            Value x = v;
            x.run(() -> b.drainTimeout(x.duration()));
        }
        if ((v = s.get("eventLoops")) != null) {
            if ("auto".equals(v.raw())) {
                b.eventLoops(ProxyConfig.EVENT_LOOP_PER_PROCESSOR);
            } else if (v.raw() instanceof Integer n && n >= 1 && n <= ProxyConfig.MAX_EVENT_LOOPS) {
                b.eventLoops(n);
            } else {
                throw v.invalid("a whole number 1.." + ProxyConfig.MAX_EVENT_LOOPS + ", or auto (one per processor)");
            }
        }
        if ((v = s.get("clientIdleTimeout")) != null) {
            Value x = v;
            x.run(() -> b.clientIdleTimeout(x.duration()));
        }
        if ((v = s.get("accessLog")) != null) {
            Value x = v;
            x.run(() -> b.accessLog(x.bool()));
        }
        if ((v = s.get("accessLogFormat")) != null) {
            String format = v.choice("default", "combined", "json");
            b.accessLogFormat(AccessLogFormat.parse(format));
        }
        if ((v = s.get("admin")) != null) {
            b.admin(admin(v));
        }
        if ((v = s.get("metrics")) != null) {
            Value x = v;
            String name = x.choice("prometheus", "none");
            if (!name.equals("none")) {
                x.run(() -> b.metrics(ProxyMetricsProvider.create(name)));
            }
        }
        if ((v = s.get("tracing")) != null) {
            Value x = v;
            String name = x.choice("opentelemetry", "none");
            if (!name.equals("none")) {
                x.run(() -> b.tracing(dev.proxy4j.trace.ProxyTracingProvider.create(name)));
            }
        }
        return root.build(b::build);
    }

    /** {@code admin: {port, host, token}}: loopback unless a host is given. */
    private static AdminConfig admin(Value value) {
        Value.Section s = value.section("port", "host", "token");
        int port = s.require("port").integer(0, 65535);
        Value host = s.get("host");
        String address = host == null ? AdminConfig.LOOPBACK : host.string();
        Value token = s.get("token");
        Optional<String> secret = token == null ? Optional.empty() : Optional.of(token.string());
        return value.build(() -> new AdminConfig(address, port, secret));
    }

    /** {@code {port, host, upstream, idleTimeout, proxyProtocol, access}}; the upstream as a route names it, or {@code HOST:PORT}. */
    private static TcpListener tcp(Value value, Map<String, Upstream> upstreams) {
        Value.Section s = value.section("host", "port", "upstream", "idleTimeout", "proxyProtocol", "access");
        Value host = s.get("host");
        String address = host == null ? Listener.ANY_HOST : host.string();
        int port = s.require("port").integer(0, 65535);
        Upstream upstream = tcpUpstream(s.require("upstream"), upstreams);
        Value idle = s.get("idleTimeout");
        java.time.Duration idleTimeout = idle == null ? TcpListener.DEFAULT_IDLE_TIMEOUT : idle.duration();
        Value proxy = s.get("proxyProtocol");
        Optional<ProxyProtocol> version = proxy == null ? Optional.empty()
                : Optional.of(proxy.build(() -> ProxyProtocol.parse(proxy.string())));
        Value rules = s.get("access");
        Optional<IpAccess> access = rules == null ? Optional.empty() : Optional.of(access(rules));
        return value.build(() -> new TcpListener(address, port, upstream, idleTimeout, version, access));
    }

    /** {@code hygiene: {allowUnderscoresInHeaders, allowTrace, h2cUpgrade, mergeSlashes, escapedSlashes, allowPathParameters}}. */
    private static void hygiene(Value value, ProxyConfig.Builder b) {
        Value.Section h = value.section("allowUnderscoresInHeaders", "allowTrace", "h2cUpgrade", "mergeSlashes",
                "escapedSlashes", "allowPathParameters");
        Value at;
        if ((at = h.get("allowUnderscoresInHeaders")) != null) {
            boolean allow = at.bool();
            at.run(() -> b.allowUnderscoresInHeaders(allow));
        }
        if ((at = h.get("allowTrace")) != null) {
            boolean allow = at.bool();
            at.run(() -> b.allowTrace(allow));
        }
        if ((at = h.get("h2cUpgrade")) != null) {
            boolean allow = at.bool();
            at.run(() -> b.h2cUpgrade(allow));
        }
        if ((at = h.get("mergeSlashes")) != null) {
            boolean merge = at.bool();
            at.run(() -> b.mergeSlashes(merge));
        }
        if ((at = h.get("escapedSlashes")) != null) {
            EscapedSlashes action = EscapedSlashes.valueOf(
                    at.choice("reject", "keep", "decode").toUpperCase(Locale.ROOT));
            at.run(() -> b.escapedSlashes(action));
        }
        if ((at = h.get("allowPathParameters")) != null) {
            boolean allow = at.bool();
            at.run(() -> b.allowPathParameters(allow));
        }
    }

    /** {@code [{allow: CIDR}, {deny: all}, ...]}: nginx's allow/deny, first match wins. */
    static IpAccess access(Value value) {
        IpAccess.Builder access = IpAccess.builder();
        for (Value rule : value.list()) {
            Value.Section r = rule.section("allow", "deny");
            String kind = r.oneOf(true, "allow", "deny");
            Value network = r.require(kind);
            String cidr = network.string();
            network.run(() -> {
                if (kind.equals("allow")) {
                    access.allow(cidr);
                } else {
                    access.deny(cidr);
                }
            });
        }
        return access.build();
    }

    /**
     * {@code preset}, or {@code {preset: true, override: false, headers: {Name: value}, without: [Name]}}:
     * the preset (unless {@code preset: false}), changed header by header.
     */
    static SecurityHeaders securityHeaders(Value value) {
        if (value.isString()) {
            value.choice("preset");
            return SecurityHeaders.preset().build();
        }
        Value.Section s = value.section("preset", "override", "headers", "without");
        Value at = s.get("preset");
        SecurityHeaders.Builder b = at == null || at.bool() ? SecurityHeaders.preset() : SecurityHeaders.builder();
        if ((at = s.get("override")) != null && at.bool()) {
            b.override();
        }
        if ((at = s.get("headers")) != null) {
            at.namedEntries().forEach((name, header) -> {
                String text = header.string();
                header.run(() -> b.header(name, text));
            });
        }
        if ((at = s.get("without")) != null) {
            at.strings().forEach(b::without);
        }
        return b.build();
    }

    /** {@code [{paths: [...], types: [...], expires: 30d, cacheControl: "public, immutable", override: true}]}, in order. */
    static dev.proxy4j.filter.CacheHeaders cacheHeaders(Value value) {
        dev.proxy4j.filter.CacheHeaders.Builder b = dev.proxy4j.filter.CacheHeaders.builder();
        for (Value rule : value.list()) {
            Value.Section r = rule.section("paths", "types", "expires", "cacheControl", "override");
            String[] paths = r.get("paths") == null ? new String[0] : r.get("paths").strings().toArray(new String[0]);
            String[] types = r.get("types") == null ? new String[0] : r.get("types").strings().toArray(new String[0]);
            java.time.Duration expires = r.get("expires") == null ? null : r.get("expires").duration();
            String control = r.get("cacheControl") == null ? null : r.get("cacheControl").string();
            boolean override = r.get("override") != null && r.get("override").bool();
            rule.run(() -> b.rule(one -> {
                one.paths(paths).types(types);
                if (expires != null) {
                    one.expires(expires);
                }
                if (control != null) {
                    one.cacheControl(control);
                }
                if (override) {
                    one.override();
                }
            }));
        }
        return value.build(b::build);
    }

    /**
     * {@code true} (zstd, br and gzip with the defaults), {@code false} (none), or {@code {encodings:
     * [gzip, br, zstd], minLength: 256, types: [...], excludedTypes: [...], levels: {gzip: 6}}}, each
     * key changing the defaults.
     */
    static dev.proxy4j.compress.Compression compression(Value value) {
        if (value.isBool()) {
            return value.bool() ? dev.proxy4j.compress.Compression.defaults() : dev.proxy4j.compress.Compression.off();
        }
        Value.Section s = value.section("encodings", "minLength", "types", "excludedTypes", "levels");
        dev.proxy4j.compress.Compression.Builder b = dev.proxy4j.compress.Compression.builder();
        Value at;
        if ((at = s.get("encodings")) != null) {
            List<dev.proxy4j.compress.Encoding> encodings = new java.util.ArrayList<>();
            for (Value one : at.list()) {
                String token = one.string();
                encodings.add(one.build(() -> dev.proxy4j.compress.Encoding.parse(token)));
            }
            at.run(() -> b.encodings(encodings));
        }
        if ((at = s.get("minLength")) != null) {
            int bytes = (int) Math.min(Integer.MAX_VALUE, at.size());
            at.run(() -> b.minLength(bytes));
        }
        if ((at = s.get("types")) != null) {
            List<String> types = at.strings();
            at.run(() -> b.types(types));
        }
        if ((at = s.get("excludedTypes")) != null) {
            List<String> types = at.strings();
            at.run(() -> b.excludedTypes(types));
        }
        if ((at = s.get("levels")) != null) {
            at.namedEntries().forEach((name, level) -> {
                dev.proxy4j.compress.Encoding encoding = level.build(() -> dev.proxy4j.compress.Encoding.parse(name));
                int n = level.integer(0, 22);
                level.run(() -> b.level(encoding, n));
            });
        }
        return b.build();
    }

    /** {@code {responseHeaders, idle, total}}, each onto its setter (the proxy's or a route's). */
    static void timeouts(Value value, java.util.function.Consumer<java.time.Duration> responseHeaders,
            java.util.function.Consumer<java.time.Duration> idle, java.util.function.Consumer<java.time.Duration> total) {
        timeouts(value, responseHeaders, idle, total, null);
    }

    /** {@code timeouts:}; {@code tunnel} only where {@code tunnel} is not null (a route's). */
    static void timeouts(Value value, java.util.function.Consumer<java.time.Duration> responseHeaders,
            java.util.function.Consumer<java.time.Duration> idle, java.util.function.Consumer<java.time.Duration> total,
            java.util.function.@org.jspecify.annotations.Nullable Consumer<java.time.Duration> tunnel) {
        String[] keys = tunnel == null ? new String[] {"responseHeaders", "idle", "total"}
                : new String[] {"responseHeaders", "idle", "total", "tunnel"};
        Value.Section t = value.section(keys);
        List<java.util.function.Consumer<java.time.Duration>> setters = tunnel == null
                ? List.of(responseHeaders, idle, total) : List.of(responseHeaders, idle, total, tunnel);
        for (int i = 0; i < keys.length; i++) {
            Value at = t.get(keys[i]);
            if (at != null) {
                java.util.function.Consumer<java.time.Duration> setter = setters.get(i);
                at.run(() -> setter.accept(at.duration()));
            }
        }
    }

    /** A TCP upstream: {@code HOST:PORT}, or as a route names its upstream. */
    private static Upstream tcpUpstream(Value target, Map<String, Upstream> upstreams) {
        if (target.isString() && !target.string().contains("://") && !upstreams.containsKey(target.string())
                && target.string().contains(":")) {
            String hostPort = target.string();
            return target.build(() -> Upstream.of("http://" + hostPort));
        }
        return RouteReader.upstream(target, upstreams);
    }

    private static Listener listener(Value value, Path baseDirectory) {
        Value.Section s = value.section("host", "port", "tls", "proxyProtocolFrom", "sniPassthrough");
        Value host = s.get("host");
        String address = host == null ? Listener.ANY_HOST : host.string();
        int port = s.require("port").integer(0, 65535);
        Value tls = s.get("tls");
        Optional<TlsConfig> tlsConfig = tls == null ? Optional.empty() : Optional.of(tls(tls, baseDirectory));
        Value from = s.get("proxyProtocolFrom");
        java.util.List<String> trusted = from == null ? java.util.List.of() : from.strings();
        if (from != null) {
            from.run(() -> trusted.forEach(dev.proxy4j.forward.Cidr::parse));
        }
        Map<String, Upstream> passthrough = new LinkedHashMap<>();
        Value sni = s.get("sniPassthrough");
        if (sni != null) {
            sni.namedEntries().forEach((name, upstream) -> passthrough.put(name, tcpUpstream(upstream, Map.of())));
        }
        return value.build(() -> new Listener(address, port, tlsConfig, trusted, passthrough));
    }

    /**
     * A list of certificates: {@code {keyStore: f, password: p}} or {@code {certificate: f, privateKey: f}};
     * or {@code {certificates: <that list>, watch: true | false | <interval>}}.
     */
    private static TlsConfig tls(Value value, Path baseDirectory) {
        TlsConfig.Builder b = TlsConfig.builder();
        Value certificates = value;
        if (value.isMap() && value.raw() instanceof java.util.Map<?, ?> map
                && (map.containsKey("certificates") || map.containsKey("watch"))) {
            Value.Section s = value.section("certificates", "watch");
            certificates = s.require("certificates");
            Value watch = s.get("watch");
            if (watch != null) {
                if (watch.isBool()) {
                    b.watch(watch.bool());
                } else {
                    Value at = watch;
                    java.time.Duration interval = at.duration();
                    at.run(() -> b.watchInterval(interval));
                }
            }
        }
        for (Value certificate : certificates.listOrOne()) {
            Value.Section s = certificate.section("keyStore", "password", "certificate", "privateKey");
            String kind = s.oneOf(true, "keyStore", "certificate");
            if (kind.equals("keyStore")) {
                Value store = s.require("keyStore");
                Path path = baseDirectory.resolve(store.string());
                String password = s.require("password").string();
                if (s.has("privateKey")) {
                    throw new ConfigException(certificate.child("privateKey"), "not with keyStore (expected: certificate and privateKey, or keyStore and password)");
                }
                store.run(() -> b.keyStore(path, password));
            } else {
                Value cert = s.require("certificate");
                Path chain = baseDirectory.resolve(cert.string());
                Path key = baseDirectory.resolve(s.require("privateKey").string());
                if (s.has("password")) {
                    throw new ConfigException(certificate.child("password"), "not with certificate (expected: an unencrypted PKCS#8 privateKey)");
                }
                cert.run(() -> b.pem(chain, key));
            }
        }
        return value.build(b::build);
    }

    private static ForwardingPolicy forwarding(Value value) {
        Value.Section s = value.section("trustedProxies", "emit", "viaPseudonym");
        ForwardingPolicy.Builder b = ForwardingPolicy.builder();
        Value v;
        if ((v = s.get("trustedProxies")) != null) {
            for (Value cidr : v.listOrOne()) {
                String text = cidr.string();
                cidr.run(() -> b.trustedProxies(text));
            }
        }
        if ((v = s.get("emit")) != null) {
            EnumSet<ForwardedHeader> emitted = EnumSet.noneOf(ForwardedHeader.class);
            for (Value header : v.list()) {
                emitted.add(forwardedHeader(header));
            }
            b.emit(emitted);
        }
        if ((v = s.get("viaPseudonym")) != null) {
            String pseudonym = v.string();
            v.run(() -> b.viaPseudonym(pseudonym));
        }
        return b.build();
    }

    /** {@code X-Forwarded-For} (any case) for {@link ForwardedHeader#X_FORWARDED_FOR}. */
    private static ForwardedHeader forwardedHeader(Value value) {
        String[] names = EnumSet.allOf(ForwardedHeader.class).stream().map(ProxyConfigReader::headerName).toArray(String[]::new);
        if (value.isString()) {
            for (ForwardedHeader header : ForwardedHeader.values()) {
                if (headerName(header).equalsIgnoreCase(value.string())) {
                    return header;
                }
            }
        }
        throw value.invalid("one of " + String.join(", ", names));
    }

    static String headerName(ForwardedHeader header) {
        StringBuilder name = new StringBuilder();
        for (String word : header.name().toLowerCase(Locale.ROOT).split("_")) {
            if (!name.isEmpty()) {
                name.append('-');
            }
            name.append(word.length() == 1 ? word.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }
}
