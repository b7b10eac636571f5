package dev.proxy4j.config.file;

import dev.proxy4j.route.HostHeader;
import dev.proxy4j.filter.HeaderRules;
import dev.proxy4j.route.PathRewrites;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTarget;
import dev.proxy4j.upstream.Upstream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One entry of {@code routes}: onto {@link Route.Builder}. */
final class RouteReader {

    private static final String[] PATHS = {"path", "pathPrefix", "pathTemplate", "pathRegex"};
    private static final String[] REWRITES = {"stripPrefix", "replacePrefix", "regex", "template", "setPath"};

    private RouteReader() {
    }

    /** {@code upstreams} are the named ones, built once: every route naming one gets the same object. */
    static Route read(Value value, Map<String, Upstream> upstreams, java.nio.file.Path baseDirectory,
            boolean sharedCache) {
        return read(value, upstreams, baseDirectory, sharedCache, null);
    }

    /** @param serverWaf the top-level WAF, which a route's {@code waf:} changes or turns off */
    static Route read(Value value, Map<String, Upstream> upstreams, java.nio.file.Path baseDirectory,
            boolean sharedCache, dev.proxy4j.waf.@Nullable Waf serverWaf) {
        Value.Section s = value.section("name", "host", "path", "pathPrefix", "pathTemplate", "pathRegex",
                "methods", "headers", "query", "rewrite", "access", "apiKeys", "jwt", "rateLimits", "securityHeaders", "headerRules",
                "hostHeader", "timeouts", "upgrades", "compression", "cacheHeaders", "cache", "upstream", "split", "staticFiles", "waf");
        Route.Builder b = Route.builder();
        Value v;
        if ((v = s.get("name")) != null) {
            String name = v.string();
            v.run(() -> b.name(name));
        }
        if ((v = s.get("host")) != null) {
            String[] hosts = v.strings().toArray(new String[0]);
            v.run(() -> b.host(hosts));
        }
        String pathKey = s.oneOf(false, PATHS);
        if (pathKey != null) {
            Value at = s.require(pathKey);
            String path = at.string();
            at.run(() -> {
                switch (pathKey) {
                    case "path" -> b.path(path);
                    case "pathPrefix" -> b.pathPrefix(path);
                    case "pathTemplate" -> b.pathTemplate(path);
                    default -> b.pathRegex(path);
                }
            });
        }
        if ((v = s.get("methods")) != null) {
            String[] methods = v.strings().toArray(new String[0]);
            v.run(() -> b.methods(methods));
        }
        if ((v = s.get("headers")) != null) {
            for (Value header : v.list()) {
                predicate(header, "header", b);
            }
        }
        if ((v = s.get("query")) != null) {
            for (Value query : v.list()) {
                predicate(query, "query", b);
            }
        }
        if ((v = s.get("rewrite")) != null) {
            rewrite(v, b);
        }
        if ((v = s.get("access")) != null) {
            b.filter(ProxyConfigReader.access(v));
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
            b.filter(ProxyConfigReader.securityHeaders(v));
        }
        if ((v = s.get("cache")) != null) {
            CacheReader.route(v, b, sharedCache);
        }
        if ((v = s.get("waf")) != null) {
            WafReader.route(v, b, serverWaf);
        }
        if ((v = s.get("headerRules")) != null) {
            HeaderRules rules = headerRules(v);
            b.filter(rules);
        }
        if ((v = s.get("hostHeader")) != null) {
            b.hostHeader(v.choice("preserve", "upstream").equals("upstream") ? HostHeader.UPSTREAM : HostHeader.PRESERVE);
        }
        if ((v = s.get("compression")) != null) {
            b.compression(ProxyConfigReader.compression(v));
        }
        if ((v = s.get("cacheHeaders")) != null) {
            b.filter(ProxyConfigReader.cacheHeaders(v));
        }
        if ((v = s.get("upgrades")) != null) {
            String[] protocols = v.strings().toArray(new String[0]);
            v.run(() -> b.upgrades(protocols));
        }
        if ((v = s.get("timeouts")) != null) {
            ProxyConfigReader.timeouts(v, b::responseHeadersTimeout, b::idleTimeout, b::totalTimeout, b::tunnelIdleTimeout);
        }
        String target = s.oneOf(true, "upstream", "split", "staticFiles");
        if ("staticFiles".equals(target)) {
            Value files = s.require("staticFiles");
            Value.Section f = files.section("root", "index", "precompressed", "followSymlinks");
            Value rootValue = f.require("root");
            java.nio.file.Path root = baseDirectory.resolve(rootValue.string());
            dev.proxy4j.route.StaticFiles.Builder staticFiles = rootValue.build(() -> dev.proxy4j.route.StaticFiles.builder(root));
            Value at;
            if ((at = f.get("index")) != null) {
                String index = at.string();
                at.run(() -> staticFiles.index(index));
            }
            if ((at = f.get("precompressed")) != null) {
                staticFiles.precompressed(at.bool());
            }
            if ((at = f.get("followSymlinks")) != null) {
                staticFiles.followSymlinks(at.bool());
            }
            rootValue.run(() -> b.local(staticFiles.build()));
        } else if ("split".equals(target)) {
            Value split = s.require("split");
            RouteTarget.Split read = SplitReader.read(split, upstreams);
            split.run(() -> b.target(read));
        } else {
            b.upstream(upstream(s.require("upstream"), upstreams));
        }
        return value.build(b::build);
    }

    /**
     * A name from {@code upstreams}; or inline: one endpoint URI, a list of them, or a mapping of
     * upstream settings. A string with {@code ://} in it is a URI, any other a name.
     */
    static Upstream upstream(Value value, Map<String, Upstream> upstreams) {
        if (value.isMap()) {
            return UpstreamReader.read(value, null);
        }
        if (value.isString() && !value.string().contains("://")) {
            Upstream named = upstreams.get(value.string());
            if (named == null) {
                throw value.invalid(upstreams.isEmpty() ? "an endpoint URI or an inline upstream; no upstreams are declared"
                        : "the name of one of upstreams: " + String.join(", ", upstreams.keySet())
                        + ", an endpoint URI or an inline upstream");
            }
            return named;
        }
        return UpstreamReader.endpoints(value);
    }

    /** {@code {name: X}} (present), {@code {name: X, value: v}} (equal), {@code {name: X, regex: r}} (headers only). */
    private static void predicate(Value value, String kind, Route.Builder b) {
        Value.Section s = kind.equals("header") ? value.section("name", "value", "regex") : value.section("name", "value");
        String name = s.require("name").string();
        String which = s.oneOf(false, "value", "regex");
        Value at = which == null ? value : s.require(which);
        @Nullable String text = which == null ? null : at.string();
        at.run(() -> {
            if (which == null) {
                if (kind.equals("header")) {
                    b.header(name);
                } else {
                    b.query(name);
                }
            } else if (which.equals("regex")) {
                b.headerRegex(name, text);
            } else if (kind.equals("header")) {
                b.header(name, text);
            } else {
                b.query(name, text);
            }
        });
    }

    private static void rewrite(Value value, Route.Builder b) {
        Value.Section s = value.section(REWRITES);
        String kind = s.oneOf(true, REWRITES);
        Value at = s.require(kind);
        switch (kind) {
            case "stripPrefix" -> {
                String prefix = at.string();
                at.run(() -> b.stripPrefix(prefix));
            }
            case "setPath" -> {
                String path = at.string();
                at.run(() -> b.setPath(path));
            }
            case "replacePrefix" -> {
                Value.Section p = at.section("from", "to");
                String from = p.require("from").string();
                String to = p.require("to").string();
                at.run(() -> b.rewritePrefix(from, to));
            }
            case "regex" -> {
                Value.Section p = at.section("pattern", "replacement");
                String pattern = p.require("pattern").string();
                String replacement = p.require("replacement").string();
                at.run(() -> b.rewriteRegex(pattern, replacement));
            }
            default -> {
                Value.Section p = at.section("from", "to");
                String from = p.require("from").string();
                String to = p.require("to").string();
                at.run(() -> b.rewrite(PathRewrites.template(from, to)));
            }
        }
    }

    /** A list of one-key mappings, applied in order: {@code - setRequestHeader: {name: X-Env, value: prod}}. */
    static HeaderRules headerRules(Value value) {
        HeaderRules.Builder rules = HeaderRules.builder();
        for (Value rule : value.list()) {
            Value.Section s = rule.section("addRequestHeader", "setRequestHeader", "removeRequestHeader",
                    "addResponseHeader", "setResponseHeader", "removeResponseHeader", "hideResponseHeaders",
                    "stripRequestCookies", "stripResponseCookies");
            String action = s.oneOf(true, "addRequestHeader", "setRequestHeader", "removeRequestHeader",
                    "addResponseHeader", "setResponseHeader", "removeResponseHeader", "hideResponseHeaders",
                    "stripRequestCookies", "stripResponseCookies");
            Value at = s.require(action);
            switch (action) {
                case "addRequestHeader", "setRequestHeader", "addResponseHeader", "setResponseHeader" -> {
                    Value.Section h = at.section("name", "value");
                    String name = h.require("name").string();
                    String text = h.require("value").string();
                    at.run(() -> {
                        switch (action) {
                            case "addRequestHeader" -> rules.addRequestHeader(name, text);
                            case "setRequestHeader" -> rules.setRequestHeader(name, text);
                            case "addResponseHeader" -> rules.addResponseHeader(name, text);
                            default -> rules.setResponseHeader(name, text);
                        }
                    });
                }
                case "removeRequestHeader" -> {
                    String name = at.string();
                    at.run(() -> rules.removeRequestHeader(name));
                }
                case "removeResponseHeader" -> {
                    String name = at.string();
                    at.run(() -> rules.removeResponseHeader(name));
                }
                case "hideResponseHeaders" -> {
                    String[] names = at.strings().toArray(new String[0]);
                    at.run(() -> rules.hideResponseHeaders(names));
                }
                case "stripRequestCookies" -> {
                    if (at.bool()) {
                        rules.stripRequestCookies();
                    }
                }
                default -> {
                    if (at.bool()) {
                        rules.stripResponseCookies();
                    }
                }
            }
        }
        return rules.build();
    }
}
