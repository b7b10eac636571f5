package dev.proxy4j.route;

import dev.proxy4j.cache.CacheKey;
import dev.proxy4j.internal.Checks;
import dev.proxy4j.route.HostHeader;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.filter.HeaderRules;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Upstream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Which requests go where: predicates on the request (all must hold), a path rewrite, the filters
 * the request passes through, and its {@link RouteTarget target}: an upstream it is forwarded to, a
 * weighted split of upstreams, or a local handler.
 *
 * <pre>{@code
 * Route.builder()
 *     .host("api.example.com").pathPrefix("/products")
 *     .rewritePrefix("/products", "/api/v1/items")
 *     .upstream(u -> u.endpoint("http://127.0.0.1:9001").endpoint("http://127.0.0.1:9002", 3))
 *     .build();
 * }</pre>
 */
public final class Route {

    private static final String WEBSOCKET = "websocket";

    private final String name;
    private final List<RequestPredicate> predicates;
    private final @Nullable HostMatcher exactHost;
    private final @Nullable PathMatcher path;
    private final PathRewrite rewrite;
    private final boolean rewrites;
    private final List<ProxyFilter> filters;
    private final RouteTarget target;
    private final @Nullable Duration responseHeadersTimeout;
    private final @Nullable Duration idleTimeout;
    private final @Nullable Duration totalTimeout;
    private final @Nullable Duration tunnelIdleTimeout;
    private final Optional<Timeouts> timeouts;
    private final HostHeader hostHeader;
    private final Set<String> upgrades;
    private final Optional<dev.proxy4j.compress.Compression> compression;
    private final boolean cached;
    private final CacheKey cacheKey;
    private final boolean wafEnabled;
    private final dev.proxy4j.waf.@Nullable Waf waf;
    private final Set<String> wafExclusions;

    private Route(Builder b, RouteTarget target) {
        this.predicates = List.copyOf(b.predicates);
        this.exactHost = b.exactHost;
        this.path = b.path;
        this.rewrite = b.rewrite == null ? PathRewrite.none() : b.rewrite;
        this.rewrites = b.rewrite != null;
        this.filters = List.copyOf(b.filters);
        this.target = target;
        this.responseHeadersTimeout = b.responseHeadersTimeout;
        this.idleTimeout = b.idleTimeout;
        this.totalTimeout = b.totalTimeout;
        this.tunnelIdleTimeout = b.tunnelIdleTimeout;
        boolean anySet = responseHeadersTimeout != null || idleTimeout != null || totalTimeout != null;
        this.timeouts = anySet ? Optional.of(timeoutsOver(Timeouts.DEFAULTS)) : Optional.empty();
        this.hostHeader = b.hostHeader;
        this.upgrades = b.upgrades;
        this.compression = Optional.ofNullable(b.compression);
        this.cached = b.cached;
        this.cacheKey = b.cacheKey;
        this.wafEnabled = b.wafEnabled;
        this.waf = b.waf;
        this.wafExclusions = Set.copyOf(b.wafExclusions);
        this.name = b.name != null ? b.name : describe(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when every predicate of this route holds for {@code request}. */
    public boolean matches(ProxyRequest request) {
        for (RequestPredicate predicate : predicates) {
            if (!predicate.test(request)) {
                return false;
            }
        }
        return true;
    }

    /** The request as this route forwards it: the path rewritten, the query kept. */
    public ProxyRequest rewrite(ProxyRequest request) {
        if (!rewrites) {
            return request;
        }
        String path = rewrite.rewrite(request.path());
        return path.equals(request.path()) ? request : request.toBuilder().path(path).build();
    }

    public String name() {
        return name;
    }

    public List<RequestPredicate> predicates() {
        return predicates;
    }

    /** The route's exact host, when it has one: the route table indexes routes by it. */
    Optional<String> exactHost() {
        return exactHost == null ? Optional.empty() : Optional.of(exactHost.pattern());
    }

    /** The route's path predicate, if it has one: the route table indexes exact and prefix paths. */
    @Nullable PathMatcher pathMatcher() {
        return path;
    }

    public List<ProxyFilter> filters() {
        return filters;
    }

    /** Where the route sends its requests. */
    public RouteTarget target() {
        return target;
    }

    /** The upstream, when the target is a single upstream. */
    public Optional<Upstream> upstream() {
        return target instanceof RouteTarget.ToUpstream to ? Optional.of(to.upstream()) : Optional.empty();
    }

    /**
     * The path template's variables for {@code path} (raw values), or an empty map when the route's
     * path predicate is not a template or does not match.
     */
    public java.util.Map<String, String> pathVariables(String path) {
        PathMatcher matcher = this.path;
        if (matcher == null || matcher.kind() != PathMatcher.Kind.TEMPLATE) {
            return java.util.Map.of();
        }
        return matcher.match(path).orElse(java.util.Map.of());
    }

    /**
     * Timeouts set on this route, with {@link Timeouts#DEFAULTS} for those it does not set; empty when it
     * sets none. The timeouts that apply are {@link #timeoutsOver(Timeouts)} the proxy-wide ones.
     */
    public Optional<Timeouts> timeouts() {
        return timeouts;
    }

    /** The timeouts this route sets, and those of {@code defaults} (the proxy-wide ones) for the rest. */
    public Timeouts timeoutsOver(Timeouts defaults) {
        return new Timeouts(
                responseHeadersTimeout != null ? responseHeadersTimeout : defaults.responseHeaders(),
                idleTimeout != null ? idleTimeout : defaults.idle(),
                totalTimeout != null ? totalTimeout : defaults.total());
    }

    /**
     * The longest silence both ways on a tunnel of this route (a WebSocket) before the proxy closes
     * it; empty when the route sets none, and then its idle timeout applies (the effective one,
     * {@link #timeoutsOver(Timeouts)}'s {@code idle}).
     */
    public Optional<Duration> tunnelIdleTimeout() {
        return Optional.ofNullable(tunnelIdleTimeout);
    }

    public HostHeader hostHeader() {
        return hostHeader;
    }

    /** The route's own compression, in place of the proxy's; empty when it has none of its own. */
    public Optional<dev.proxy4j.compress.Compression> compression() {
        return compression;
    }

    /** The protocols a client may switch to through this route (lower-case); {@code websocket} unless set. */
    /** Whether the server's shared cache ({@code ProxyConfig.Builder.cache}) applies to this route; default true. */
    public boolean cached() {
        return cached;
    }

    /** Whether a WAF (the route's own or the server's) inspects this route's requests; default true. */
    public boolean wafEnabled() {
        return wafEnabled;
    }

    /** The route's own WAF, in place of the server's, when it has one. */
    public Optional<dev.proxy4j.waf.Waf> waf() {
        return Optional.ofNullable(waf);
    }

    /** Rule ids and families the WAF leaves out on this route. */
    public Set<String> wafExclusions() {
        return wafExclusions;
    }

    /** The key this route's requests have in the server's shared cache; default {@link CacheKey#defaults()}. */
    public CacheKey cacheKey() {
        return cacheKey;
    }

    public Set<String> upgrades() {
        return upgrades;
    }

    /**
     * Whether a request asking to switch to {@code protocol} ({@link ProxyRequest#upgrade()}) may
     * open a tunnel here: a route to upstreams that lists the protocol. Case does not matter.
     */
    public boolean allowsUpgrade(String protocol) {
        if (protocol.isEmpty() || target instanceof RouteTarget.Local || upgrades.isEmpty()) {
            return false;
        }
        for (String allowed : upgrades) {
            if (allowed.equalsIgnoreCase(protocol)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Route[" + name + " -> " + target + ']';
    }

    private static String describe(Builder b) {
        return b.description.isEmpty() ? "any" : String.join(" ", b.description);
    }

    /** Builds a {@link Route}; predicates accumulate, everything else may be set once. */
    public static final class Builder {
        private final List<RequestPredicate> predicates = new ArrayList<>();
        private @org.jspecify.annotations.Nullable String matchedPrefix;
        private @org.jspecify.annotations.Nullable String rewrittenPrefix;
        private final List<String> description = new ArrayList<>();
        private @Nullable HostMatcher exactHost;
        private boolean hostSet;
        private @Nullable PathMatcher path;
        private @Nullable PathRewrite rewrite;
        private final List<ProxyFilter> filters = new ArrayList<>();
        private @Nullable RouteTarget target;
        private Upstream.@Nullable Builder upstreamBuilder;
        private @Nullable Duration responseHeadersTimeout;
        private @Nullable Duration idleTimeout;
        private @Nullable Duration totalTimeout;
        private @Nullable Duration tunnelIdleTimeout;
        private HostHeader hostHeader = HostHeader.PRESERVE;
        private Set<String> upgrades = Set.of(WEBSOCKET);
        private dev.proxy4j.compress.@Nullable Compression compression;
        private boolean cached = true;
        private CacheKey cacheKey = CacheKey.defaults();
        private boolean wafEnabled = true;
        private dev.proxy4j.waf.@Nullable Waf waf;
        private final Set<String> wafExclusions = new java.util.LinkedHashSet<>();
        private @Nullable String name;

        private Builder() {
        }

        /** A name for logs; default: a description of the predicates. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Host is one of {@code patterns}: exact ({@code api.example.com}) or {@code *.example.com}. */
        public Builder host(String... patterns) {
            if (hostSet) {
                throw new IllegalStateException("host was already set; pass every host pattern in one host(...) call");
            }
            if (patterns.length == 0) {
                throw new IllegalArgumentException("host: [] (expected: at least one pattern)");
            }
            hostSet = true;
            List<HostMatcher> matchers = new ArrayList<>();
            for (String pattern : patterns) {
                matchers.add(HostMatcher.of(pattern));
            }
            if (matchers.size() == 1) {
                HostMatcher only = matchers.get(0);
                if (only.isExact()) {
                    exactHost = only;
                }
                predicates.add(only);
            } else {
                List<HostMatcher> all = List.copyOf(matchers);
                predicates.add(request -> {
                    for (HostMatcher matcher : all) {
                        if (matcher.test(request)) {
                            return true;
                        }
                    }
                    return false;
                });
            }
            description.add("host=" + String.join(",", patterns));
            return this;
        }

        /** Path is exactly {@code path}. */
        public Builder path(String path) {
            return pathMatcher(PathMatcher.exact(path));
        }

        /** Path is {@code prefix} or lies below it, segment by segment: {@code /api} takes {@code /api/x}, not {@code /apix}. */
        public Builder pathPrefix(String prefix) {
            Builder builder = pathMatcher(PathMatcher.prefix(prefix));
            matchedPrefix = prefix;
            return builder;
        }

        /** Path fits a template such as {@code /users/{id}/orders/{*rest}}. */
        public Builder pathTemplate(String template) {
            return pathMatcher(PathMatcher.template(template));
        }

        /** The whole path matches {@code regex}. */
        public Builder pathRegex(String regex) {
            return pathMatcher(PathMatcher.regex(regex));
        }

        private Builder pathMatcher(PathMatcher matcher) {
            if (path != null) {
                throw new IllegalStateException("path was already set to " + path.pattern()
                        + "; a route has one path predicate");
            }
            path = matcher;
            predicates.add(matcher);
            description.add("path=" + matcher.pattern());
            return this;
        }

        /** Method is one of {@code methods}. */
        public Builder methods(String... methods) {
            predicates.add(MethodMatcher.of(methods));
            description.add("methods=" + String.join(",", methods));
            return this;
        }

        /** The request has header {@code name}. */
        public Builder header(String name) {
            predicates.add(HeaderMatcher.present(name));
            description.add("header=" + name);
            return this;
        }

        /** One of the values of header {@code name} equals {@code value}. */
        public Builder header(String name, String value) {
            predicates.add(HeaderMatcher.equalTo(name, value));
            description.add("header=" + name + ":" + value);
            return this;
        }

        /** One of the values of header {@code name} matches {@code regex} as a whole. */
        public Builder headerRegex(String name, String regex) {
            predicates.add(HeaderMatcher.regex(name, regex));
            description.add("header=" + name + "~" + regex);
            return this;
        }

        /** The query has parameter {@code name}. */
        public Builder query(String name) {
            predicates.add(QueryMatcher.present(name));
            description.add("query=" + name);
            return this;
        }

        /** Query parameter {@code name} equals {@code value} (both compared decoded). */
        public Builder query(String name, String value) {
            predicates.add(QueryMatcher.equalTo(name, value));
            description.add("query=" + name + "=" + value);
            return this;
        }

        /** Any condition of your own. */
        public Builder when(RequestPredicate predicate) {
            predicates.add(Objects.requireNonNull(predicate, "predicate"));
            description.add("when=" + predicate);
            return this;
        }

        public Builder rewrite(PathRewrite rewrite) {
            Objects.requireNonNull(rewrite, "rewrite");
            if (this.rewrite != null) {
                throw new IllegalStateException("rewrite was already set to " + this.rewrite);
            }
            this.rewrite = rewrite;
            return this;
        }

        /** {@code /api/users} becomes {@code /users} with prefix {@code /api}. */
        public Builder stripPrefix(String prefix) {
            return rewrite(PathRewrites.stripPrefix(prefix));
        }

        /** {@code /products/42} becomes {@code /api/v1/items/42} with {@code ("/products", "/api/v1/items")}. */
        public Builder rewritePrefix(String from, String to) {
            Builder builder = rewrite(PathRewrites.replacePrefix(from, to));
            rewrittenPrefix = from;
            return builder;
        }

        /** A path matching {@code regex} as a whole becomes {@code replacement}, with {@code $1} or {@code ${name}} groups. */
        public Builder rewriteRegex(String regex, String replacement) {
            return rewrite(PathRewrites.regex(regex, replacement));
        }

        /** Every request goes to {@code path}. */
        public Builder setPath(String path) {
            return rewrite(PathRewrites.setPath(path));
        }

        /** Adds a filter; filters run in the order added. */
        public Builder filter(ProxyFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Adds header rules (a filter) configured in place. */
        public Builder headers(Consumer<HeaderRules.Builder> configurer) {
            HeaderRules.Builder rules = HeaderRules.builder();
            configurer.accept(rules);
            return filter(rules.build());
        }

        public Builder upstream(Upstream upstream) {
            return target(RouteTarget.upstream(upstream));
        }

        /** One or more endpoint URIs, balanced with the default load balancer. */
        public Builder upstream(String... uris) {
            return upstream(Upstream.of(uris));
        }

        /** One or more endpoint URIs, balanced with the default load balancer. */
        public Builder upstream(URI... uris) {
            String[] strings = new String[uris.length];
            for (int i = 0; i < uris.length; i++) {
                strings[i] = uris[i].toString();
            }
            return upstream(strings);
        }

        public Builder upstream(Consumer<Upstream.Builder> configurer) {
            checkNoTarget();
            Upstream.Builder builder = Upstream.builder();
            configurer.accept(builder);
            this.upstreamBuilder = builder;
            return this;
        }

        /** A weighted split of upstreams: {@code .split(s -> s.upstream(stable, 95).upstream(canary, 5))}. */
        public Builder split(Consumer<RouteTarget.Split.Builder> configurer) {
            RouteTarget.Split.Builder builder = RouteTarget.Split.builder();
            configurer.accept(builder);
            return target(builder.build());
        }

        /** The proxy answers by itself, after the route's filters. */
        public Builder local(LocalHandler handler) {
            return target(RouteTarget.local(handler));
        }

        /** Files under {@code root} ({@link StaticFiles}): GET and HEAD, the route's rewritten path below the root. */
        public Builder staticFiles(java.nio.file.Path root) {
            return local(StaticFiles.of(root));
        }

        public Builder target(RouteTarget target) {
            Objects.requireNonNull(target, "target");
            checkNoTarget();
            this.target = target;
            return this;
        }

        private void checkNoTarget() {
            if (target != null || upstreamBuilder != null) {
                throw new IllegalStateException("target was already set to "
                        + (target != null ? target : "a configured upstream"));
            }
        }

        /** From the whole request being sent until the response headers arrive. Default: the proxy's. */
        public Builder responseHeadersTimeout(Duration timeout) {
            responseHeadersTimeout = Checks.positiveOrZero("responseHeadersTimeout", timeout);
            return this;
        }

        /** The longest silence once the exchange started. Default: the proxy's. */
        public Builder idleTimeout(Duration timeout) {
            idleTimeout = Checks.positiveOrZero("idleTimeout", timeout);
            return this;
        }

        /**
         * The longest silence both ways on a tunnel (WebSocket) of this route before it is closed,
         * HAProxy's {@code timeout tunnel}: WebSockets often sit quiet far longer than an HTTP
         * exchange should. Zero: none of the route's own. Default: the route's {@link #idleTimeout}.
         */
        public Builder tunnelIdleTimeout(Duration timeout) {
            tunnelIdleTimeout = Checks.positiveOrZero("tunnelIdleTimeout", timeout);
            return this;
        }

        /** The whole exchange, body included. Default: the proxy's. */
        public Builder totalTimeout(Duration timeout) {
            totalTimeout = Checks.positiveOrZero("totalTimeout", timeout);
            return this;
        }

        /** What Host the backend gets; default {@link HostHeader#PRESERVE}. */
        public Builder hostHeader(HostHeader hostHeader) {
            this.hostHeader = Objects.requireNonNull(hostHeader, "hostHeader");
            return this;
        }

        /**
         * The protocols a client may switch to here with HTTP/1.1's Upgrade (e.g. {@code websocket},
         * the default): such a request opens a tunnel of raw bytes to the backend once the backend
         * answers 101. {@code upgrades()} with none refuses every switch: an upgrade request then
         * goes to the backend as a plain request, as does one asking for a protocol not listed.
         */
        /** Off: the server's shared cache leaves this route alone (it neither stores nor answers here). */
        public Builder cache(boolean on) {
            this.cached = on;
            return this;
        }

        /** Off: no WAF inspects this route's requests (the server's is skipped here); default on. */
        public Builder waf(boolean on) {
            this.wafEnabled = on;
            return this;
        }

        /** A WAF of the route's own (another mode, paranoia, threshold) in place of the server's. */
        public Builder waf(dev.proxy4j.waf.Waf waf) {
            this.waf = Objects.requireNonNull(waf, "waf");
            this.wafEnabled = true;
            return this;
        }

        /** Rule ids ({@code sqli-110}) or families ({@code xss}) the WAF leaves out on this route. */
        public Builder wafExclusions(String... idsOrFamilies) {
            for (String id : idsOrFamilies) {
                wafExclusions.add(Objects.requireNonNull(id, "wafExclusion").strip().toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /** The key of this route's requests in the server's shared cache (which query parameters, headers count). */
        public Builder cacheKey(CacheKey key) {
            this.cacheKey = Objects.requireNonNull(key, "cacheKey");
            return this;
        }

        public Builder upgrades(String... protocols) {
            Set<String> names = new java.util.LinkedHashSet<>();
            for (String protocol : protocols) {
                Objects.requireNonNull(protocol, "upgrades");
                if (!Checks.isProtocol(protocol)) {
                    throw Checks.invalid("upgrades", protocol, "a protocol such as websocket");
                }
                names.add(protocol.toLowerCase(java.util.Locale.ROOT));
            }
            this.upgrades = Set.copyOf(names);
            return this;
        }

        /**
         * How this route's responses are compressed, in place of the proxy's ({@code
         * Compression.off()} for none here). Default: the proxy's.
         */
        public Builder compression(dev.proxy4j.compress.Compression compression) {
            Objects.requireNonNull(compression, "compression");
            if (this.compression != null) {
                throw new IllegalStateException("compression was already set to " + this.compression);
            }
            this.compression = compression;
            return this;
        }

        public Route build() {
            String matched = matchedPrefix;
            String rewritten = rewrittenPrefix;
            if (matched != null && rewritten != null && !matched.startsWith(rewritten) && !rewritten.startsWith(matched)) {
                // Every path this route takes starts with its prefix: a rewrite of another prefix never applies.
                throw new IllegalStateException("rewritePrefix: \"" + rewritten
                        + "\" (expected: a prefix the route's paths can start with, since pathPrefix is \"" + matched + "\")");
            }
            RouteTarget chosen = target != null ? target
                    : upstreamBuilder != null ? RouteTarget.upstream(upstreamBuilder.build()) : null;
            if (chosen == null) {
                throw new IllegalStateException("route " + describe(this)
                        + ": no target (expected: an upstream(...), split(...) or local(...) call)");
            }
            return new Route(this, chosen);
        }
    }
}
