package dev.proxy4j.config.file;

import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.SlowStart;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An upstream's {@code loadBalancer}: the launcher's {@code --lb} spelling as a string
 * ({@code least-requests}, {@code ring-hash:header:X-User}), or a mapping with a {@code type} for
 * the settings the spelling leaves at their defaults.
 */
final class LoadBalancerReader {

    private static final List<String> TYPES = List.of("round-robin", "weighted-round-robin", "random",
            "least-requests", "p2c", "ring-hash", "maglev", "sticky-cookie");

    private LoadBalancerReader() {
    }

    static LoadBalancer read(Value value) {
        if (!value.isMap()) {
            String spec = value.string();
            return value.build(() -> LoadBalancer.parse(spec));
        }
        Value.Section s = value.section("type", "key", "pointsPerWeight", "tableSize", "slowStart", "cookie", "fallback");
        String type = s.require("type").choice(TYPES.toArray(new String[0]));
        allowOnly(s, type, "key", "ring-hash", "maglev");
        allowOnly(s, type, "pointsPerWeight", "ring-hash");
        allowOnly(s, type, "tableSize", "maglev");
        allowOnly(s, type, "slowStart", "random", "least-requests");
        allowOnly(s, type, "cookie", "sticky-cookie");
        allowOnly(s, type, "fallback", "sticky-cookie");
        Value v;
        return switch (type) {
            case "random", "least-requests" -> {
                SlowStart slowStart = (v = s.get("slowStart")) == null ? null : slowStart(v);
                if (slowStart == null) {
                    yield LoadBalancer.parse(type);
                }
                yield type.equals("random") ? LoadBalancer.random(slowStart) : LoadBalancer.leastRequests(slowStart);
            }
            case "ring-hash" -> {
                HashKey key = key(s.require("key"));
                Value points = s.get("pointsPerWeight");
                int perWeight = points == null ? LoadBalancer.DEFAULT_POINTS_PER_WEIGHT : points.integer(1, 65_536);
                yield LoadBalancer.ringHash(key, perWeight);
            }
            case "maglev" -> {
                HashKey key = key(s.require("key"));
                Value size = s.get("tableSize");
                int tableSize = size == null ? LoadBalancer.DEFAULT_MAGLEV_TABLE_SIZE : size.integer(3, 16_777_213);
                yield size == null ? LoadBalancer.maglev(key) : size.build(() -> LoadBalancer.maglev(key, tableSize));
            }
            case "sticky-cookie" -> {
                Value cookie = s.require("cookie");
                String name = cookie.string();
                LoadBalancer fallback = (v = s.get("fallback")) == null ? LoadBalancer.weightedRoundRobin() : read(v);
                yield cookie.build(() -> LoadBalancer.stickyCookie(name, fallback));
            }
            default -> LoadBalancer.parse(type);
        };
    }

    private static void allowOnly(Value.Section s, String type, String key, String... types) {
        Value v = s.get(key);
        if (v != null && !List.of(types).contains(type)) {
            throw new ConfigException(v.path(), "not a setting of " + type + " (expected: only with type "
                    + String.join(" or ", types) + ")");
        }
    }

    static HashKey key(Value value) {
        String spec = value.string();
        return value.build(() -> HashKey.parse(spec));
    }

    /** {@code 30s}, or {@code {window: 30s, aggression: 1.5, minWeightPercent: 10}}. */
    private static @Nullable SlowStart slowStart(Value value) {
        if (!value.isMap()) {
            return value.build(() -> SlowStart.of(value.duration()));
        }
        Value.Section s = value.section("window", "aggression", "minWeightPercent");
        Value window = s.require("window");
        Value aggression = s.get("aggression");
        Value min = s.get("minWeightPercent");
        double a = aggression == null ? SlowStart.DEFAULT_AGGRESSION : aggression.number();
        double m = min == null ? SlowStart.DEFAULT_MIN_WEIGHT_PERCENT : min.number();
        return value.build(() -> new SlowStart(window.duration(), a, m));
    }
}
