package dev.proxy4j.examples;

import dev.proxy4j.config.Limits;
import dev.proxy4j.config.file.ConfigDocument;
import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.forward.ProxyProtocol;
import dev.proxy4j.config.file.ConfigFile;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The parsed flags of {@code run}. The flags are a shorthand for a config file: {@link #document()}
 * turns them into the same tree a file would hold, so that {@code --print-config} can print it and
 * running from the flags and from the printed file are the same thing.
 */
record RunOptions(int port, String host, List<String> upstreams, List<String[]> routes, boolean http2,
        Optional<String> loadBalancer, Optional<Object> healthCheck, OptionalInt retries, int maxConnections,
        long maxBodySize, int maxHeaderCount,
        Map<String, Object> hygiene, List<String> trustedProxies, boolean accessLog,
        List<String[]> tcp, Optional<String> proxyProtocol, OptionalInt tlsPort, Optional<String> certificate,
        Optional<String> privateKey, List<String[]> sniPassthrough, List<String[]> access, boolean securityHeaders,
        List<String> rateLimits, int maxConnsPerIp, boolean compress, List<String[]> statics, Optional<String> cache,
        OptionalInt adminPort, Optional<String> accessLogFormat, Optional<Path> configFile, boolean printConfig,
        boolean help, Optional<String> waf, boolean passBackendIdentity, boolean stripPrefix, Map<String, String> timeouts,
        OptionalInt eventLoops) {

    private static final List<String> FILE_FLAGS = List.of("--config", "--print-config", "--help", "-h");
    private static final List<String> HYGIENE_KEYS = List.of("allowUnderscoresInHeaders", "allowTrace", "h2cUpgrade",
            "mergeSlashes", "escapedSlashes", "allowPathParameters");

    static RunOptions parse(List<String> args) {
        int port = 8080;
        String host = "0.0.0.0";
        List<String> upstreams = new ArrayList<>();
        List<String[]> routes = new ArrayList<>();
        boolean http2 = false;
        String loadBalancer = null;
        Object healthCheck = null;
        Integer retries = null;
        int maxConnections = Upstream.DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;
        long maxBodySize = Limits.DEFAULT_MAX_REQUEST_BODY_BYTES;
        int maxHeaderCount = Limits.DEFAULT_MAX_REQUEST_HEADER_COUNT;
        // The file's hygiene section, in the file's key order, with what the flags changed from the defaults.
        Map<String, Object> hygiene = new java.util.TreeMap<>(java.util.Comparator.comparingInt(HYGIENE_KEYS::indexOf));
        List<String> trusted = new ArrayList<>();
        List<String[]> tcp = new ArrayList<>();
        String proxyProtocol = null;
        Integer tlsPort = null;
        Integer eventLoops = null;
        String certificate = null;
        String privateKey = null;
        List<String[]> sniPassthrough = new ArrayList<>();
        List<String[]> access = new ArrayList<>();
        boolean securityHeaders = false;
        List<String> rateLimits = new ArrayList<>();
        int maxConnsPerIp = 0;
        boolean compress = false;
        List<String[]> statics = new ArrayList<>();
        String cache = null;
        boolean accessLog = true;
        Integer adminPort = null;
        String accessLogFormat = null;
        Path config = null;
        String flagBesideConfig = null;
        boolean printConfig = false;
        boolean help = false;
        String waf = null;
        boolean passBackendIdentity = false;
        boolean stripPrefix = false;
        // --connect-timeout, --response-timeout, --idle-timeout: by the config file's key, in flag order.
        Map<String, String> timeouts = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!FILE_FLAGS.contains(flag) && flagBesideConfig == null) {
                flagBesideConfig = flag;
            }
            switch (flag) {
                case "--config" -> config = Path.of(value(args, ++i, flag));
                case "--print-config" -> printConfig = true;
                case "--port" -> port = parseInt(flag, value(args, ++i, flag), 0, 65535);
                case "--host" -> host = value(args, ++i, flag);
                case "--upstream" -> upstreams.add(checkedUrl(value(args, ++i, flag)));
                case "--route" -> {
                    String spec = value(args, ++i, flag);
                    int eq = spec.indexOf('=');
                    if (eq <= 0 || eq == spec.length() - 1 || !spec.startsWith("/")) {
                        throw new IllegalArgumentException(
                                "--route: \"" + spec + "\" (expected: PREFIX=URL such as /api=http://127.0.0.1:9000)");
                    }
                    routes.add(new String[] {spec.substring(0, eq), checkedUrl(spec.substring(eq + 1))});
                }
                case "--upstream-http2" -> http2 = true;
                case "--lb" -> loadBalancer = checkedLoadBalancer(value(args, ++i, flag));
                case "--health-check" -> healthCheck = checkedHealthCheck(value(args, ++i, flag));
                case "--retries" -> retries = parseInt(flag, value(args, ++i, flag), 0,
                        dev.proxy4j.upstream.RetryPolicy.MAX_ATTEMPTS - 1);
                case "--max-connections" -> maxConnections = parseInt(flag, value(args, ++i, flag), 1, 1_000_000);
                case "--max-body-size" -> {
                    long size = parseLong(flag, value(args, ++i, flag));
                    maxBodySize = size == 0 ? Limits.UNLIMITED : size;
                }
                case "--event-loops" -> {
                    String loops = value(args, ++i, flag);
                    eventLoops = loops.equals("auto") ? dev.proxy4j.config.ProxyConfig.EVENT_LOOP_PER_PROCESSOR
                            : parseInt(flag, loops, 1, dev.proxy4j.config.ProxyConfig.MAX_EVENT_LOOPS);
                }
                case "--max-header-count" -> maxHeaderCount = parseInt(flag, value(args, ++i, flag), 1,
                        Limits.MAX_REQUEST_HEADER_COUNT);
                case "--allow-underscores-in-headers" -> hygiene.put("allowUnderscoresInHeaders", true);
                case "--allow-trace" -> hygiene.put("allowTrace", true);
                case "--allow-path-parameters" -> hygiene.put("allowPathParameters", true);
                case "--h2c-upgrade" -> hygiene.put("h2cUpgrade", true);
                case "--no-merge-slashes" -> hygiene.put("mergeSlashes", false);
                case "--escaped-slashes" -> {
                    String action = value(args, ++i, flag);
                    if (!List.of("reject", "keep", "decode").contains(action)) {
                        throw new IllegalArgumentException(
                                flag + ": \"" + action + "\" (expected: one of reject, keep, decode)");
                    }
                    if (!action.equals("reject")) {
                        hygiene.put("escapedSlashes", action);
                    }
                }
                case "--trusted-proxy" -> trusted.add(checkedTrustedProxy(value(args, ++i, flag)));
                case "--no-access-log" -> accessLog = false;
                case "--access-log-format" -> {
                    String format = value(args, ++i, flag);
                    if (!List.of("default", "combined", "json").contains(format)) {
                        throw new IllegalArgumentException(
                                flag + ": \"" + format + "\" (expected: one of default, combined, json)");
                    }
                    accessLogFormat = format;
                }
                case "--admin-port" -> adminPort = parseInt(flag, value(args, ++i, flag), 0, 65535);
                case "--tcp" -> tcp.add(checkedTcp(value(args, ++i, flag)));
                case "--tls-port" -> tlsPort = parseInt(flag, value(args, ++i, flag), 0, 65535);
                case "--cert" -> certificate = value(args, ++i, flag);
                case "--key" -> privateKey = value(args, ++i, flag);
                case "--sni-passthrough" -> sniPassthrough.add(checkedPassthrough(value(args, ++i, flag)));
                case "--allow", "--deny" -> access.add(checkedAccess(flag, value(args, ++i, flag)));
                case "--security-headers" -> securityHeaders = true;
                case "--rate-limit" -> rateLimits.add(checkedRateLimit(value(args, ++i, flag)));
                case "--max-conns-per-ip" -> maxConnsPerIp = parseInt(flag, value(args, ++i, flag), 1, 1_000_000);
                case "--compress" -> compress = true;
                case "--static" -> statics.add(checkedStatic(value(args, ++i, flag)));
                case "--cache" -> cache = checkedCacheSize(value(args, ++i, flag));
                case "--proxy-protocol" -> {
                    String version = value(args, ++i, flag);
                    try {
                        proxyProtocol = ProxyProtocol.parse(version).toString();
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--proxy-protocol: \"" + version + "\" (expected: v1 or v2)", e);
                    }
                }
                case "--waf" -> waf = checkedWafMode(value(args, ++i, flag));
                case "--pass-backend-identity" -> passBackendIdentity = true;
                case "--strip-prefix" -> stripPrefix = true;
                case "--connect-timeout" -> timeouts.put("connectTimeout", checkedTimeout(flag, value(args, ++i, flag)));
                case "--response-timeout" -> timeouts.put("responseHeaders", checkedTimeout(flag, value(args, ++i, flag)));
                case "--idle-timeout" -> timeouts.put("idle", checkedTimeout(flag, value(args, ++i, flag)));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown flag '" + flag + "'");
            }
        }
        if (tlsPort != null && (certificate == null || privateKey == null)) {
            throw new IllegalArgumentException("--tls-port: " + tlsPort
                    + " without " + (certificate == null ? "--cert" : "--key") + " (expected: --tls-port P --cert PEM --key PEM)");
        }
        if (tlsPort == null && !sniPassthrough.isEmpty()) {
            throw new IllegalArgumentException("--sni-passthrough without --tls-port"
                    + " (expected: --tls-port P --cert PEM --key PEM, whose listener passes the name through)");
        }
        if (tlsPort == null && (certificate != null || privateKey != null)) {
            throw new IllegalArgumentException((certificate != null ? "--cert" : "--key")
                    + " without --tls-port (expected: --tls-port P --cert PEM --key PEM)");
        }
        if (config != null && flagBesideConfig != null) {
            throw new IllegalArgumentException("--config: " + flagBesideConfig
                    + " given too (expected: every setting in the file, or flags without --config)");
        }
        if (!help && config == null && upstreams.isEmpty() && routes.isEmpty() && tcp.isEmpty() && statics.isEmpty()) {
            throw new IllegalArgumentException("no backend (expected: at least one --upstream URL, --route PREFIX=URL,"
                    + " --static PREFIX=DIR or --tcp PORT=HOST:PORT, or --config FILE)");
        }
        return new RunOptions(port, host, upstreams, routes, http2, Optional.ofNullable(loadBalancer),
                Optional.ofNullable(healthCheck), retries == null ? OptionalInt.empty() : OptionalInt.of(retries),
                maxConnections,
                maxBodySize, maxHeaderCount, hygiene, trusted, accessLog, tcp, Optional.ofNullable(proxyProtocol),
                tlsPort == null ? OptionalInt.empty() : OptionalInt.of(tlsPort), Optional.ofNullable(certificate),
                Optional.ofNullable(privateKey), sniPassthrough, access, securityHeaders, rateLimits, maxConnsPerIp,
                compress, statics, Optional.ofNullable(cache),
                adminPort == null ? OptionalInt.empty() : OptionalInt.of(adminPort), Optional.ofNullable(accessLogFormat),
                Optional.ofNullable(config), printConfig, help, Optional.ofNullable(waf), passBackendIdentity,
                stripPrefix, timeouts, eventLoops == null ? OptionalInt.empty() : OptionalInt.of(eventLoops));
    }

    /** A timeout flag's value: a positive duration such as 500ms or 30s, or 0 for none (not for connects). */
    private static String checkedTimeout(String flag, String value) {
        boolean none = value.equals("0") && !flag.equals("--connect-timeout");
        if (!none && !(DURATION.matcher(value).matches() && value.matches(".*[1-9].*"))) {
            throw new IllegalArgumentException(flag + ": \"" + value + "\" (expected: a positive duration such as 500ms or 30s"
                    + (flag.equals("--connect-timeout") ? ")" : ", or 0 for none)"));
        }
        return value;
    }

    /** The config file's document, or the flags' document; validated either way. */
    ConfigDocument document() {
        return configFile.map(ConfigFile::read).orElseGet(() -> ConfigDocument.of(tree(), Path.of("")));
    }

    /** The flags as a config file tree, in the file's key order; settings left at their defaults are left out. */
    Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        boolean http = !upstreams.isEmpty() || !routes.isEmpty() || !statics.isEmpty();
        if (http) {
            List<Object> listeners = new ArrayList<>();
            listeners.add(map("host", host, "port", port));
            if (tlsPort.isPresent()) {
                // Paths as given, made absolute: the printed file may be read from elsewhere.
                Map<String, Object> secure = map("host", host, "port", tlsPort.getAsInt(), "tls", List.of(map(
                        "certificate", Path.of(certificate.orElseThrow()).toAbsolutePath().toString(),
                        "privateKey", Path.of(privateKey.orElseThrow()).toAbsolutePath().toString())));
                if (!sniPassthrough.isEmpty()) {
                    Map<String, Object> names = new LinkedHashMap<>();
                    sniPassthrough.forEach(name -> names.put(name[0], passthroughUpstream(name[1])));
                    secure.put("sniPassthrough", names);
                }
                listeners.add(secure);
            }
            root.put("listeners", listeners);
        }
        List<Object> routeTrees = new ArrayList<>();
        // Routes of one prefix share an upstream, in the order their prefixes first appear.
        List<String> prefixes = new ArrayList<>();
        for (String[] route : routes) {
            if (!prefixes.contains(route[0])) {
                prefixes.add(route[0]);
            }
        }
        for (String prefix : prefixes) {
            List<String> urls = routes.stream().filter(r -> r[0].equals(prefix)).map(r -> r[1]).toList();
            Map<String, Object> route = map("pathPrefix", prefix);
            if (stripPrefix && !prefix.equals("/")) {
                route.put("rewrite", map("stripPrefix", prefix));
            }
            route.put("upstream", upstream(urls));
            routeTrees.add(route);
        }
        // Static files after the --route routes, the longest prefix first, before the catch-all.
        List<String[]> byPrefix = new ArrayList<>(statics);
        byPrefix.sort(java.util.Comparator.comparingInt((String[] files) -> files[0].length()).reversed());
        for (String[] files : byPrefix) {
            Map<String, Object> route = map("pathPrefix", files[0]);
            if (!files[0].equals("/")) {
                route.put("rewrite", map("stripPrefix", files[0]));
            }
            route.put("staticFiles", map("root", files[1]));
            routeTrees.add(route);
        }
        if (!upstreams.isEmpty()) {
            routeTrees.add(map("pathPrefix", "/", "upstream", upstream(upstreams)));
        }
        if (http) {
            root.put("routes", routeTrees);
        }
        if (!tcp.isEmpty()) {
            List<Object> listeners = new ArrayList<>();
            // Repeating a port (not 0) adds endpoints to its listener, as repeating a --route prefix does.
            Map<String, List<String>> byPort = new LinkedHashMap<>();
            for (String[] forward : tcp) {
                String key = forward[0].equals("0") ? "0#" + byPort.size() : forward[0];
                byPort.computeIfAbsent(key, k -> new ArrayList<>()).add(forward[1]);
            }
            for (Map.Entry<String, List<String>> forward : byPort.entrySet()) {
                int port = Integer.parseInt(forward.getKey().replaceFirst("#.*", ""));
                Map<String, Object> listener = map("host", host, "port", port, "upstream", tcpUpstream(forward.getValue()));
                proxyProtocol.ifPresent(version -> listener.put("proxyProtocol", version));
                listeners.add(listener);
            }
            root.put("tcp", listeners);
        }
        cache.ifPresent(size -> root.put("cache", size));
        if (!access.isEmpty()) {
            List<Object> rules = new ArrayList<>();
            access.forEach(rule -> rules.add(map(rule[0], rule[1])));
            root.put("access", rules);
        }
        if (!rateLimits.isEmpty()) {
            root.put("rateLimits", List.copyOf(rateLimits));
        }
        if (securityHeaders) {
            root.put("securityHeaders", "preset");
        }
        waf.ifPresent(mode -> root.put("waf", mode));
        if (passBackendIdentity) {
            root.put("backendIdentity", "pass");
        }
        if (compress) {
            root.put("compression", true);
        }
        eventLoops.ifPresent(loops -> root.put("eventLoops",
                loops == dev.proxy4j.config.ProxyConfig.EVENT_LOOP_PER_PROCESSOR ? "auto" : (Object) loops));
        if (!trustedProxies.isEmpty()) {
            root.put("forwarding", map("trustedProxies", List.copyOf(trustedProxies)));
        }
        Map<String, Object> proxyTimeouts = new LinkedHashMap<>();
        // "0" is the file's 0 (none), a number; anything else a duration such as 30s.
        timeouts.forEach((key, value) -> proxyTimeouts.put(key, value.equals("0") ? (Object) 0 : value));
        proxyTimeouts.remove("connectTimeout");
        if (!proxyTimeouts.isEmpty()) {
            root.put("timeouts", proxyTimeouts);
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        if (maxBodySize != Limits.DEFAULT_MAX_REQUEST_BODY_BYTES) {
            limits.put("maxRequestBodyBytes", maxBodySize == Limits.UNLIMITED ? "unlimited" : maxBodySize);
        }
        if (maxHeaderCount != Limits.DEFAULT_MAX_REQUEST_HEADER_COUNT) {
            limits.put("maxRequestHeaderCount", maxHeaderCount);
        }
        if (maxConnsPerIp > 0) {
            limits.put("maxConnectionsPerIp", maxConnsPerIp);
        }
        if (!limits.isEmpty()) {
            root.put("limits", limits);
        }
        if (!hygiene.isEmpty()) {
            root.put("hygiene", new LinkedHashMap<>(hygiene));
        }
        if (!accessLog) {
            root.put("accessLog", false);
        }
        accessLogFormat.filter(format -> !format.equals("default")).ifPresent(format -> root.put("accessLogFormat", format));
        if (adminPort.isPresent()) {
            // On loopback; the launcher has proxy-micrometer, so the admin listener serves /metrics too.
            root.put("admin", map("port", adminPort.getAsInt()));
            root.put("metrics", "prometheus");
        }
        return root;
    }

    /** {@code --waf detect|block}: the WAF's mode, the rest of its settings the defaults. */
    private static String checkedWafMode(String mode) {
        if (!mode.equals("detect") && !mode.equals("block")) {
            throw new IllegalArgumentException("--waf: \"" + mode + "\" (expected: detect or block)");
        }
        return mode;
    }

    /**
     * A {@code --tcp} or {@code --sni-passthrough} upstream: {@code HOST:PORT}; with {@code --health-check}, a
     * mapping of its endpoint(s) and the check (which the proxy runs as a TCP connect for an upstream it
     * forwards raw TCP to, whatever the check's path).
     */
    private Object tcpUpstream(String hostPort) {
        return tcpUpstream(List.of(hostPort));
    }

    /** A {@code --sni-passthrough} upstream: as {@link #tcpUpstream(String)}, with {@code --proxy-protocol}'s header. */
    @SuppressWarnings("unchecked")
    private Object passthroughUpstream(String hostPort) {
        Object upstream = tcpUpstream(hostPort);
        if (proxyProtocol.isEmpty()) {
            return upstream;
        }
        Map<String, Object> withHeader = upstream instanceof Map<?, ?> given
                ? new LinkedHashMap<>((Map<String, Object>) given)
                : map("endpoints", List.of("http://" + hostPort));
        withHeader.put("proxyProtocol", proxyProtocol.get());
        return withHeader;
    }

    /** Several {@code HOST:PORT}s (a repeated {@code --tcp PORT=}): one upstream of them, with the flags' balancer. */
    private Object tcpUpstream(List<String> hostPorts) {
        if (healthCheck.isEmpty() && hostPorts.size() == 1) {
            return hostPorts.get(0);
        }
        Map<String, Object> upstream = map("endpoints", hostPorts.stream().map(hostPort -> "http://" + hostPort).toList());
        if (hostPorts.size() > 1) {
            loadBalancer.ifPresent(spec -> upstream.put("loadBalancer", spec));
        }
        healthCheck.ifPresent(check -> upstream.put("healthCheck", check));
        return upstream;
    }

        private Map<String, Object> upstream(List<String> urls) {
        List<Object> endpoints = new ArrayList<>();
        for (String url : urls) {
            int at = url.lastIndexOf('@');
            if (at > url.indexOf("//")) {
                endpoints.add(map("uri", url.substring(0, at), "weight",
                        parseInt("--upstream weight", url.substring(at + 1), 1, 1000)));
            } else {
                endpoints.add(url);
            }
        }
        Map<String, Object> upstream = map("endpoints", endpoints);
        loadBalancer.ifPresent(spec -> upstream.put("loadBalancer", spec));
        healthCheck.ifPresent(check -> upstream.put("healthCheck", check));
        retries.ifPresent(n -> upstream.put("retry", n));
        if (timeouts.containsKey("connectTimeout")) {
            upstream.put("connectTimeout", timeouts.get("connectTimeout"));
        }
        if (maxConnections != Upstream.DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT) {
            upstream.put("maxConnectionsPerEndpoint", maxConnections);
        }
        if (http2) {
            upstream.put("protocol", "http/2");
        }
        proxyProtocol.ifPresent(version -> upstream.put("proxyProtocol", version));
        return upstream;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** {@code --rate-limit SPEC} as given, refused naming the flag when it is not a limit. */
    private static String checkedRateLimit(String spec) {
        try {
            RateLimit.parse(spec).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rate-limit: " + e.getMessage().substring("rate limit: ".length()), e);
        }
        return spec;
    }

    /** {@code --allow CIDR} or {@code --deny CIDR} as {allow|deny, CIDR}, refused naming the flag when the network is not one. */
    private static String[] checkedAccess(String flag, String network) {
        String kind = flag.substring(2);
        try {
            if (kind.equals("allow")) {
                IpAccess.builder().allow(network);
            } else {
                IpAccess.builder().deny(network);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": \"" + network
                    + "\" (expected: an IP address, a CIDR such as 10.0.0.0/8 or fd00::/8, or all)", e);
        }
        return new String[] {kind, network};
    }

    /**
     * {@code PREFIX=DIR} as {prefix, the directory made absolute} (the printed file may be read from
     * elsewhere), refused naming the flag when it is not that or DIR is no directory.
     */
    private static String[] checkedStatic(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1 || !spec.startsWith("/")) {
            throw new IllegalArgumentException(
                    "--static: \"" + spec + "\" (expected: PREFIX=DIR such as /assets=./public)");
        }
        String prefix = spec.substring(0, eq);
        if (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        Path dir = Path.of(spec.substring(eq + 1)).toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--static: \"" + spec + "\" (expected: a directory after =; "
                    + dir + " is none)");
        }
        return new String[] {prefix, dir.toString()};
    }

    /** The network as given, refused naming the flag (not the file's key) when it is not one. */
    private static String checkedTrustedProxy(String network) {
        try {
            dev.proxy4j.forward.ForwardingPolicy.builder().trustedProxies(network);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trusted-proxy: \"" + network
                    + "\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)", e);
        }
        return network;
    }

    /** {@code NAME=HOST:PORT} as {name, host:port}, refused naming the flag when it is not that. */
    private static String[] checkedPassthrough(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq <= 0 || colon <= eq + 1 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--sni-passthrough: \"" + spec
                    + "\" (expected: NAME=HOST:PORT such as db.example.com=10.0.0.5:443)");
        }
        return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
    }

    /** {@code PORT=HOST:PORT} as {port, host:port}, refused naming the flag when it is not that. */
    private static String[] checkedTcp(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        String expected = "--tcp: \"" + spec + "\" (expected: PORT=HOST:PORT such as 5432=10.0.0.5:5432)";
        if (eq <= 0 || colon <= eq + 1 || colon == spec.length() - 1) {
            throw new IllegalArgumentException(expected);
        }
        try {
            int port = Integer.parseInt(spec.substring(0, eq));
            int target = Integer.parseInt(spec.substring(colon + 1));
            if (port < 0 || port > 65535 || target < 1 || target > 65535) {
                throw new IllegalArgumentException(expected);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
        return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h))+");

    /**
     * {@code PATH[,interval=1s][,timeout=1s][,rise=2][,fall=3]} (or {@code tcp[,...]}, a TCP connect
     * check) as the config file's {@code healthCheck}: the path (or {@code tcp}) alone, or a mapping
     * of the path (or {@code type: tcp}) and the settings given; refused naming the flag when it is not that.
     */
    private static Object checkedHealthCheck(String spec) {
        String expected = "--health-check: \"" + spec + "\" (expected: PATH or tcp, then [,interval=1s][,timeout=1s]"
                + "[,rise=2][,fall=3], such as /health,interval=2s,fall=2 or tcp,interval=2s)";
        String[] parts = spec.split(",", -1);
        boolean tcp = parts[0].equals("tcp");
        HealthCheck.Builder check;
        try {
            check = tcp ? HealthCheck.tcpBuilder() : HealthCheck.builder(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (parts.length == 1) {
            return parts[0];
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        if (tcp) {
            tree.put("type", "tcp");
        } else {
            tree.put("path", parts[0]);
        }
        for (int p = 1; p < parts.length; p++) {
            int eq = parts[p].indexOf('=');
            String key = eq < 0 ? parts[p] : parts[p].substring(0, eq);
            String value = eq < 0 ? "" : parts[p].substring(eq + 1);
            if (tree.containsKey(key)) {
                throw new IllegalArgumentException(expected);
            }
            try {
                switch (key) {
                    case "interval", "timeout" -> {
                        if (!DURATION.matcher(value).matches() || !value.matches(".*[1-9].*")) {
                            throw new IllegalArgumentException(key + ": \"" + value + "\" (expected: a positive duration such as 500ms or 2s)");
                        }
                        tree.put(key, value);
                    }
                    case "rise", "fall" -> {
                        int n = parseInt("--health-check " + key, value, 1, 100);
                        if (key.equals("rise")) {
                            check.rise(n);
                        } else {
                            check.fall(n);
                        }
                        tree.put(key, n);
                    }
                    default -> throw new IllegalArgumentException(expected);
                }
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("--health-check")) {
                    throw e;
                }
                throw new IllegalArgumentException("--health-check " + e.getMessage(), e);
            }
        }
        return tree;
    }

    /** The balancer as the flag spelled it, refused naming the flag when {@link LoadBalancer#parse} does not know it. */
    private static String checkedLoadBalancer(String spec) {
        try {
            LoadBalancer.parse(spec);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException("--lb" + message.substring(message.indexOf(':')), e);
        }
        return spec;
    }

    /** The URL as the flag gave it, refused with the builder's own message when it is not an endpoint. */
    private static String checkedUrl(String url) {
        int at = url.lastIndexOf('@');
        if (at > url.indexOf("//")) {
            Endpoint.of(url.substring(0, at), parseInt("--upstream weight", url.substring(at + 1), 1, 1000));
        } else {
            Endpoint.of(url);
        }
        return url;
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(flag + ": missing value");
        }
        return args.get(i);
    }

    private static int parseInt(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": \"" + value + "\" (expected: a number " + min + ".." + max + ")");
    }

    private static long parseLong(String flag, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": \"" + value + "\" (expected: a number of bytes >= 0)");
    }

    /** {@code --cache SIZE}: a size above 0 such as {@code 64m}, {@code 512k}, {@code 1g} or {@code 100MiB}. */
    private static String checkedCacheSize(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(KiB|MiB|GiB|[kKmMgG])?").matcher(size);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("--cache: \"" + size + "\" (expected: a size above 0 such as 64m)");
        }
        return size;
    }

}
