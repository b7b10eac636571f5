package dev.proxy4j.filter;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Cache-Control and Expires set by path pattern or content type, as nginx's {@code expires 30d;
 * add_header Cache-Control "public, immutable"} does for static assets. The first rule whose
 * patterns match the response takes it: {@code expires(30 days)} sets {@code Expires} to the
 * clock's now plus 30 days and puts {@code max-age=2592000} first in Cache-Control, followed by the
 * rule's own directives. A rule sets its headers only where the response has none of them, unless
 * it says {@code override()}. Only statuses a cache may keep get them (200, 203, 204, 206, 301, 302,
 * 303, 304, 307, 308, as nginx's {@code expires}); the proxy's own errors never do.
 *
 * <pre>{@code
 * CacheHeaders.builder()
 *     .rule(r -> r.paths("/assets/**", "*.woff2").expires(Duration.ofDays(365)).cacheControl("public, immutable"))
 *     .rule(r -> r.types("text/html").cacheControl("no-cache"))
 *     .build()
 * }</pre>
 */
public final class CacheHeaders implements ProxyFilter {

    private static final Set<Integer> STATUSES = Set.of(200, 203, 204, 206, 301, 302, 303, 304, 307, 308);
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final List<Rule> rules;

    private CacheHeaders(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Rule> rules() {
        return rules;
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        String path = request.path();
        return next.proceed(request).thenApply(response -> apply(ctx, path, response));
    }

    /** The response with the first matching rule's headers; as it was when none matches. */
    ProxyResponse apply(RequestContext ctx, String path, ProxyResponse response) {
        if (!STATUSES.contains(response.status())) {
            return response;
        }
        String type = response.headers().get("Content-Type");
        for (Rule rule : rules) {
            if (rule.matches(path, type)) {
                return rule.applyTo(ctx, response);
            }
        }
        return response;
    }

    @Override
    public String toString() {
        return "CacheHeaders" + rules;
    }

    /** One rule: what it matches (paths, types; either may match), what it sets. */
    public static final class Rule {
        private final List<String> paths;
        private final List<String> types;
        private final List<Pattern> pathPatterns;
        private final List<Pattern> typePatterns;
        private final @Nullable Duration expires;
        private final String cacheControl;
        private final boolean override;

        private Rule(RuleBuilder b) {
            this.paths = List.copyOf(b.paths);
            this.types = List.copyOf(b.types);
            this.pathPatterns = paths.stream().map(Rule::pathPattern).toList();
            this.typePatterns = types.stream().map(Rule::typePattern).toList();
            this.expires = b.expires;
            this.cacheControl = b.cacheControl;
            this.override = b.override;
        }

        public List<String> paths() {
            return paths;
        }

        public List<String> types() {
            return types;
        }

        public @Nullable Duration expires() {
            return expires;
        }

        public String cacheControl() {
            return cacheControl;
        }

        public boolean override() {
            return override;
        }

        boolean matches(String path, @Nullable String contentType) {
            for (Pattern pattern : pathPatterns) {
                if (pattern.matcher(path).matches()) {
                    return true;
                }
            }
            if (contentType != null && !typePatterns.isEmpty()) {
                int semicolon = contentType.indexOf(';');
                String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                        .toLowerCase(Locale.ROOT);
                for (Pattern pattern : typePatterns) {
                    if (pattern.matcher(type).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }

        ProxyResponse applyTo(RequestContext ctx, ProxyResponse response) {
            Headers.Builder headers = response.headers().toBuilder();
            String control = cacheControl;
            if (expires != null) {
                String maxAge = "max-age=" + expires.toSeconds();
                control = control.isEmpty() ? maxAge : maxAge + ", " + control;
                if (override || !headers.contains("Expires")) {
                    headers.set("Expires", IMF_FIXDATE.format(ctx.clock().instant().plus(expires)));
                }
            }
            if (!control.isEmpty() && (override || !headers.contains("Cache-Control"))) {
                headers.set("Cache-Control", control);
            }
            return response.toBuilder().headers(headers.build()).build();
        }

        /** {@code *} within a segment, {@code **} across; a pattern without {@code /} is of the file name. */
        private static Pattern pathPattern(String glob) {
            String full = glob.startsWith("/") ? glob : "**/" + glob;
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < full.length(); i++) {
                char c = full.charAt(i);
                if (c == '*' && i + 1 < full.length() && full.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString());
        }

        private static Pattern typePattern(String type) {
            return Pattern.compile(Pattern.quote(type.toLowerCase(Locale.ROOT)).replace("*", "\\E[^/]*\\Q"));
        }

        @Override
        public String toString() {
            return "Rule[paths=" + paths + ", types=" + types + ", expires=" + expires + ", cacheControl="
                    + cacheControl + (override ? ", override" : "") + ']';
        }
    }

    /** Builds one {@link Rule}. */
    public static final class RuleBuilder {
        private final List<String> paths = new ArrayList<>();
        private final List<String> types = new ArrayList<>();
        private @Nullable Duration expires;
        private String cacheControl = "";
        private boolean override;

        private RuleBuilder() {
        }

        /** Request paths (after the route's rewrite): {@code /assets/**}, {@code *.css}, {@code /favicon.ico}. */
        public RuleBuilder paths(String... globs) {
            for (String glob : globs) {
                Objects.requireNonNull(glob, "paths");
                if (glob.isBlank() || glob.contains("***")) {
                    throw new IllegalArgumentException("paths: \"" + glob + "\" (expected: a pattern such as /assets/** or *.css)");
                }
                paths.add(glob);
            }
            return this;
        }

        /** Response media types: {@code text/html}, {@code image/*}. */
        public RuleBuilder types(String... types) {
            for (String type : types) {
                Objects.requireNonNull(type, "types");
                int slash = type.indexOf('/');
                if (slash <= 0 || slash == type.length() - 1 || type.indexOf(';') >= 0) {
                    throw new IllegalArgumentException("types: \"" + type + "\" (expected: a media type such as text/html or image/*)");
                }
                this.types.add(type);
            }
            return this;
        }

        /** Expires now plus {@code duration}, and {@code max-age} in Cache-Control; zero or more. */
        public RuleBuilder expires(Duration duration) {
            Objects.requireNonNull(duration, "expires");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("expires: " + duration + " (expected: >= 0)");
            }
            this.expires = duration;
            return this;
        }

        /** Cache-Control directives ({@code public, immutable}; after {@code max-age} when expires is set). */
        public RuleBuilder cacheControl(String directives) {
            Objects.requireNonNull(directives, "cacheControl");
            if (directives.indexOf('\r') >= 0 || directives.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("cacheControl: \"" + directives + "\" (expected: directives on one line)");
            }
            this.cacheControl = directives.strip();
            return this;
        }

        /** Replace the response's own Cache-Control and Expires; by default they are kept. */
        public RuleBuilder override() {
            this.override = true;
            return this;
        }

        Rule build() {
            if (paths.isEmpty() && types.isEmpty()) {
                throw new IllegalStateException("rule: no paths and no types (expected: at least one of them)");
            }
            if (expires == null && cacheControl.isEmpty()) {
                List<String> all = new ArrayList<>(paths);
                all.addAll(types);
                throw new IllegalStateException("rule " + all + ": nothing to set (expected: expires or cacheControl)");
            }
            return new Rule(this);
        }
    }

    /** Builds {@link CacheHeaders}: rules tried in order. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        public Builder rule(Consumer<RuleBuilder> configurer) {
            RuleBuilder rule = new RuleBuilder();
            configurer.accept(rule);
            rules.add(rule.build());
            return this;
        }

        public CacheHeaders build() {
            if (rules.isEmpty()) {
                throw new IllegalStateException("cacheHeaders: no rules (expected: at least one rule(...))");
            }
            return new CacheHeaders(rules);
        }
    }
}
