package dev.proxy4j.config.file;

import dev.proxy4j.route.CookieMatcher;
import dev.proxy4j.route.HeaderMatcher;
import dev.proxy4j.route.RequestPredicate;
import dev.proxy4j.route.RouteTarget;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.Upstream;
import java.util.List;
import java.util.Map;

/**
 * A route's {@code split}: a list of shares, or a mapping of {@code shares}, {@code sticky} (a hash
 * key as {@code loadBalancer}'s, e.g. {@code "cookie:session"}) and {@code match} (header or cookie
 * predicates, each with the upstream it sends to).
 */
final class SplitReader {

    private SplitReader() {
    }

    static RouteTarget.Split read(Value value, Map<String, Upstream> upstreams) {
        RouteTarget.Split.Builder builder = RouteTarget.Split.builder();
        Value sharesValue = value;
        if (value.isMap()) {
            Value.Section s = value.section("shares", "sticky", "match");
            sharesValue = s.require("shares");
            Value v;
            if ((v = s.get("sticky")) != null) {
                HashKey key = LoadBalancerReader.key(v);
                builder.sticky(key);
            }
            if ((v = s.get("match")) != null) {
                for (Value match : v.list()) {
                    match(match, upstreams, builder);
                }
            }
        }
        List<Value> shares = sharesValue.list();
        for (Value share : shares) {
            Value.Section one = share.section("upstream", "weight");
            Upstream upstream = RouteReader.upstream(one.require("upstream"), upstreams);
            int weight = one.require("weight").integer(0, RouteTarget.Split.MAX_WEIGHT);
            builder.upstream(upstream, weight);
        }
        return value.build(builder::build);
    }

    /** {@code {header: {name, value | regex}, upstream}} or {@code {cookie: {name, value}, upstream}}; no value: present. */
    private static void match(Value value, Map<String, Upstream> upstreams, RouteTarget.Split.Builder builder) {
        Value.Section s = value.section("header", "cookie", "upstream");
        String kind = s.oneOf(true, "header", "cookie");
        Value at = s.require(kind);
        Value.Section p = kind.equals("header") ? at.section("name", "value", "regex") : at.section("name", "value");
        String name = p.require("name").string();
        String which = p.oneOf(false, "value", "regex");
        String text = which == null ? "" : p.require(which).string();
        RequestPredicate when = at.build(() -> {
            if (kind.equals("cookie")) {
                return which == null ? CookieMatcher.present(name) : CookieMatcher.equalTo(name, text);
            }
            if (which == null) {
                return HeaderMatcher.present(name);
            }
            return which.equals("regex") ? HeaderMatcher.regex(name, text) : HeaderMatcher.equalTo(name, text);
        });
        Upstream upstream = RouteReader.upstream(s.require("upstream"), upstreams);
        builder.when(when, upstream);
    }
}
