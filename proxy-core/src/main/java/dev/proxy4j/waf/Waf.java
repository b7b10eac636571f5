package dev.proxy4j.waf;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.Refusal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attack-pattern filtering with anomaly scoring, in the manner of the OWASP Core Rule Set: every
 * rule of the paranoia level in force ({@link WafRules#defaults()}, and one's own) is tried on the
 * request's method, its path (normalised as routing sees it, then decoded), its query parameters,
 * headers and cookies, and, for form and JSON bodies, up to {@link Builder#bodyLimit(int)} bytes of
 * the body. Each rule that matches adds its {@link Severity}'s score once; when the sum reaches the
 * threshold (5: one critical match) a blocking WAF answers 403 and nothing reaches a backend, a
 * detecting one only logs. Every match is logged once per request by the logger
 * {@code dev.proxy4j.waf.Waf}: its rule id, score, the part it matched and the text (cut, control
 * bytes escaped), in one line (WARN when blocked, INFO otherwise).
 *
 * <pre>{@code
 * ProxyServer.builder()
 *     .waf(Waf.builder().mode(WafMode.BLOCK).paranoia(1).build())        // every route
 *     .route(r -> r.pathPrefix("/cms").wafExclusions("xss-200").upstream(...))
 *     .route(r -> r.pathPrefix("/upload").waf(false).upstream(...))
 * }</pre>
 *
 * <p>A body is read ahead up to the limit, never more, then streams on to the backend as it came;
 * what lies past the limit is not inspected (ModSecurity's {@code ProcessPartial}). A body with a
 * Content-Encoding, or of another type (multipart, XML, binary), is not inspected.
 */
public final class Waf implements ProxyFilter {

    /** The Core Rule Set's default inbound threshold: one critical match. */
    public static final int DEFAULT_THRESHOLD = 5;
    /** How much of a form or JSON body is inspected by default. */
    public static final int DEFAULT_BODY_LIMIT = 64 * 1024;
    /** The largest body limit: what is read ahead is held in memory. */
    public static final int MAX_BODY_LIMIT = 1024 * 1024;
    /** Paranoia levels run from 1 (the default) to 4; the built-in rules have levels 1 and 2. */
    public static final int MAX_PARANOIA = 4;

    /** What the WAF made of the request, for later filters. */
    public static final AttributeKey<WafVerdict> VERDICT = AttributeKey.of("wafVerdict", WafVerdict.class);

    private static final Logger LOG = LoggerFactory.getLogger(Waf.class);
    private static final String BLOCKED_BODY = "403 Forbidden\n" + Refusal.WAF.reason() + "\n";

    private final WafMode mode;
    private final int paranoia;
    private final int threshold;
    private final int bodyLimit;
    private final Set<String> exclusions;
    private final List<WafRule> rules;
    /** The rules in force (paranoia, exclusions), numbered; and by target, for each value's kind. */
    private final List<WafRule> active;
    private final Map<Target, int[]> activeByTarget = new EnumMap<>(Target.class);

    private Waf(Builder b) {
        this.mode = b.mode;
        this.paranoia = b.paranoia;
        this.threshold = b.threshold;
        this.bodyLimit = b.bodyLimit;
        this.exclusions = Set.copyOf(b.exclusions);
        this.rules = List.copyOf(b.rules);
        List<WafRule> running = new ArrayList<>();
        for (WafRule rule : rules) {
            if (rule.paranoia() <= paranoia && !exclusions.contains(rule.id()) && !exclusions.contains(rule.family())) {
                running.add(rule);
            }
        }
        this.active = List.copyOf(running);
        for (Target target : Target.values()) {
            int[] indexes = new int[active.size()];
            int n = 0;
            for (int i = 0; i < active.size(); i++) {
                if (active.get(i).targets().contains(target)) {
                    indexes[n++] = i;
                }
            }
            activeByTarget.put(target, Arrays.copyOf(indexes, n));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Detection only, paranoia 1, threshold 5. */
    public static Waf detect() {
        return builder().mode(WafMode.DETECT).build();
    }

    /** Blocking, paranoia 1, threshold 5. */
    public static Waf block() {
        return builder().mode(WafMode.BLOCK).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().mode(mode).paranoia(paranoia).threshold(threshold).bodyLimit(bodyLimit);
        b.rules.clear();
        b.rules.addAll(rules);
        b.exclusions.addAll(exclusions);
        return b;
    }

    /** This WAF with {@code more} rule ids or families excluded too (a route's exclusions). */
    public Waf withExclusions(Collection<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        return toBuilder().exclude(more.toArray(new String[0])).build();
    }

    public WafMode mode() {
        return mode;
    }

    public int paranoia() {
        return paranoia;
    }

    public int threshold() {
        return threshold;
    }

    /** Bytes of a form or JSON body inspected; 0: bodies are not inspected. */
    public int bodyLimit() {
        return bodyLimit;
    }

    /** Rule ids and families that never run. */
    public Set<String> exclusions() {
        return exclusions;
    }

    /** The rules in force: those of the paranoia level and below, less the exclusions. */
    public List<WafRule> activeRules() {
        return active;
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        Scoring scoring = new Scoring(active.size());
        evaluate(Inspection.ofHead(request), scoring);
        if (mode == WafMode.BLOCK && scoring.score >= threshold) {
            return CompletableFuture.completedFuture(block(ctx, request, scoring));
        }
        BodyKind kind = bodyKind(request);
        if (kind == BodyKind.NONE) {
            conclude(ctx, request, scoring, false);
            return next.proceed(request);
        }
        return Bodies.peek(request.body(), bodyLimit).thenCompose(peek -> {
            Inspection body = new Inspection();
            if (kind == BodyKind.FORM) {
                body.addForm(peek.utf8(), "body");
            } else {
                body.addJson(peek.utf8());
            }
            evaluate(body, scoring);
            if (mode == WafMode.BLOCK && scoring.score >= threshold) {
                peek.body().fail(new IllegalStateException("request blocked by the WAF"));
                return CompletableFuture.completedFuture(block(ctx, request, scoring));
            }
            conclude(ctx, request, scoring, false);
            return next.proceed(request.toBuilder().body(peek.body()).build());
        });
    }

    /** The verdict on a request without a context: for tests and tools (the body, if any, is not read). */
    public WafVerdict inspect(ProxyRequest request) {
        Scoring scoring = new Scoring(active.size());
        evaluate(Inspection.ofHead(request), scoring);
        return scoring.verdict(threshold, false);
    }

    /** The verdict on a request whose body is {@code body} (form or JSON, as its Content-Type says; cut at the limit). */
    public WafVerdict inspect(ProxyRequest request, String body) {
        Scoring scoring = new Scoring(active.size());
        evaluate(Inspection.ofHead(request), scoring);
        BodyKind kind = kindOf(request.headers().get("Content-Type"));
        if (kind != BodyKind.NONE && bodyLimit > 0) {
            Inspection inspection = new Inspection();
            String seen = body.length() > bodyLimit ? body.substring(0, bodyLimit) : body;
            if (kind == BodyKind.FORM) {
                inspection.addForm(seen, "body");
            } else {
                inspection.addJson(seen);
            }
            evaluate(inspection, scoring);
        }
        return scoring.verdict(threshold, false);
    }

    private void evaluate(Inspection inspection, Scoring scoring) {
        for (Inspection.Value value : inspection.values()) {
            for (int index : activeByTarget.get(value.target())) {
                if (scoring.matched[index]) {
                    continue;
                }
                WafRule rule = active.get(index);
                String found = rule.find(value);
                if (found != null) {
                    scoring.add(index, new WafMatch(rule.id(), rule.severity(), value.name(),
                            found.length() > WafMatch.MAX_EXCERPT * 2 ? found.substring(0, WafMatch.MAX_EXCERPT * 2) : found));
                }
            }
        }
    }

    private ProxyResponse block(RequestContext ctx, ProxyRequest request, Scoring scoring) {
        conclude(ctx, request, scoring, true);
        ctx.refused(Refusal.WAF);
        return ProxyResponse.builder(403)
                .headers(Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store"))
                .body(Body.ofUtf8(BLOCKED_BODY))
                .build();
    }

    private void conclude(RequestContext ctx, ProxyRequest request, Scoring scoring, boolean blocked) {
        if (scoring.matches.isEmpty()) {
            return;
        }
        WafVerdict verdict = scoring.verdict(threshold, blocked);
        ctx.setAttr(VERDICT, verdict);
        if (blocked) {
            LOG.warn("waf blocked {} {} request={} client={} score={}/{} matches: {}", request.method(),
                    WafMatch.escape(request.path(), 200), ctx.requestId(), ctx.clientAddress(), verdict.score(),
                    threshold, scoring.matches);
        } else if (LOG.isInfoEnabled()) {
            LOG.info("waf {} {} {} request={} client={} score={}/{} matches: {}",
                    verdict.anomalous() ? "detected (would block)" : "matched", request.method(),
                    WafMatch.escape(request.path(), 200), ctx.requestId(), ctx.clientAddress(), verdict.score(),
                    threshold, scoring.matches);
        }
    }

    private enum BodyKind { NONE, FORM, JSON }

    private BodyKind bodyKind(ProxyRequest request) {
        if (bodyLimit == 0 || request.body() == Body.empty() || request.body().length() == 0
                || !request.upgrade().isEmpty()) {
            return BodyKind.NONE;
        }
        String encoding = request.headers().get("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            return BodyKind.NONE;
        }
        return kindOf(request.headers().get("Content-Type"));
    }

    private static BodyKind kindOf(@org.jspecify.annotations.Nullable String contentType) {
        if (contentType == null) {
            return BodyKind.NONE;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        if (type.equals("application/x-www-form-urlencoded")) {
            return BodyKind.FORM;
        }
        if (type.equals("application/json") || type.equals("text/json") || type.endsWith("+json")) {
            return BodyKind.JSON;
        }
        return BodyKind.NONE;
    }

    /** The matches of one request so far. */
    private static final class Scoring {
        final boolean[] matched;
        final List<WafMatch> matches = new ArrayList<>(2);
        int score;

        Scoring(int rules) {
            this.matched = new boolean[rules];
        }

        void add(int index, WafMatch match) {
            matched[index] = true;
            matches.add(match);
            score += match.severity().score();
        }

        WafVerdict verdict(int threshold, boolean blocked) {
            return new WafVerdict(score, threshold, matches, blocked);
        }
    }

    @Override
    public String toString() {
        return "Waf[" + mode.code() + ", paranoia " + paranoia + ", threshold " + threshold + ", bodyLimit " + bodyLimit
                + (exclusions.isEmpty() ? "" : ", exclusions " + new java.util.TreeSet<>(exclusions)) + ", "
                + active.size() + " rules]";
    }

    /** Builds a {@link Waf}. Defaults: detection only, paranoia 1, threshold 5, body limit 64 KiB, the built-in rules. */
    public static final class Builder {
        private WafMode mode = WafMode.DETECT;
        private int paranoia = 1;
        private int threshold = DEFAULT_THRESHOLD;
        private int bodyLimit = DEFAULT_BODY_LIMIT;
        private final Set<String> exclusions = new LinkedHashSet<>();
        private final List<WafRule> rules = new ArrayList<>(WafRules.defaults());

        private Builder() {
        }

        /** Block (403) or only log; default {@link WafMode#DETECT}, so that a new rule set is watched before it refuses anyone. */
        public Builder mode(WafMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** 1 (default: few false positives) to 4; each level adds the rules of its own. */
        public Builder paranoia(int paranoia) {
            if (paranoia < 1 || paranoia > MAX_PARANOIA) {
                throw new IllegalArgumentException("paranoia: " + paranoia + " (expected: 1.." + MAX_PARANOIA + ")");
            }
            this.paranoia = paranoia;
            return this;
        }

        /** The anomaly score at which a request is refused; default 5 (one critical match). */
        public Builder threshold(int threshold) {
            if (threshold < 1 || threshold > 10_000) {
                throw new IllegalArgumentException("threshold: " + threshold + " (expected: 1..10000)");
            }
            this.threshold = threshold;
            return this;
        }

        /** Bytes of a form or JSON body read ahead and inspected; default 64 KiB; 0 inspects no body. */
        public Builder bodyLimit(int bytes) {
            if (bytes < 0 || bytes > MAX_BODY_LIMIT) {
                throw new IllegalArgumentException("bodyLimit: " + bytes + " (expected: 0.." + MAX_BODY_LIMIT + ")");
            }
            this.bodyLimit = bytes;
            return this;
        }

        /** Rules that never run: ids ({@code sqli-110}) or whole families ({@code xss}). */
        public Builder exclude(String... idsOrFamilies) {
            for (String id : idsOrFamilies) {
                exclusions.add(Objects.requireNonNull(id, "exclusion").strip().toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Adds a rule of one's own after the built-in ones. */
        public Builder rule(WafRule rule) {
            Objects.requireNonNull(rule, "rule");
            for (WafRule existing : rules) {
                if (existing.id().equals(rule.id())) {
                    throw new IllegalArgumentException("rule id: \"" + rule.id() + "\" (expected: one not already used)");
                }
            }
            rules.add(rule);
            return this;
        }

        /**
         * @throws IllegalArgumentException when an exclusion names no rule and no family
         */
        public Waf build() {
            Set<String> known = new HashSet<>();
            for (WafRule rule : rules) {
                known.add(rule.id());
                known.add(rule.family());
            }
            for (String exclusion : exclusions) {
                if (!known.contains(exclusion)) {
                    throw new IllegalArgumentException("waf exclusion: \"" + exclusion
                            + "\" (expected: a rule id such as sqli-110, or a family: " + new java.util.TreeSet<>(families(rules)) + ")");
                }
            }
            return new Waf(this);
        }

        private static Set<String> families(List<WafRule> rules) {
            Set<String> families = new LinkedHashSet<>();
            for (WafRule rule : rules) {
                families.add(rule.family());
            }
            return families;
        }
    }
}
