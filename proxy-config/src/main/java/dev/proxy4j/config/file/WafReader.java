package dev.proxy4j.config.file;

import dev.proxy4j.route.Route;
import dev.proxy4j.waf.Waf;
import dev.proxy4j.waf.WafMode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code waf:} at the top (every route) and on a route (off, a mode, exclusions, settings of its own). */
final class WafReader {

    private static final String[] KEYS = {"mode", "paranoia", "threshold", "bodyLimit", "exclusions"};

    private WafReader() {
    }

    /**
     * {@code detect}, {@code block} or {@code off}, or {@code {mode: block, paranoia: 1, threshold: 5,
     * bodyLimit: 64KiB, exclusions: [sqli-110, xss]}}; null for {@code off}.
     */
    static @Nullable Waf read(Value value) {
        if (value.raw() instanceof Boolean on) {
            return on ? Waf.detect() : null;
        }
        if (!value.isMap()) {
            String mode = value.choice("detect", "block", "off");
            return mode.equals("off") ? null : Waf.builder().mode(WafMode.parse(mode)).build();
        }
        Waf.Builder b = Waf.builder();
        settings(value.section(KEYS), b, true);
        return value.build(b::build);
    }

    /**
     * A route's {@code waf:}: {@code off} (or {@code false}); {@code detect} or {@code block} (the
     * top-level WAF's settings in that mode); or a mapping: {@code exclusions} alone takes rules out
     * of the top-level WAF here, any other key makes the route a WAF of its own from the top-level
     * one's settings (or the defaults when there is none) with those changed.
     */
    static void route(Value value, Route.Builder b, @Nullable Waf server) {
        if (value.raw() instanceof Boolean on) {
            b.waf(on);
            return;
        }
        if (!value.isMap()) {
            String mode = value.choice("detect", "block", "off");
            if (mode.equals("off")) {
                b.waf(false);
            } else {
                Waf.Builder own = server != null ? server.toBuilder() : Waf.builder();
                b.waf(value.build(own.mode(WafMode.parse(mode))::build));
            }
            return;
        }
        Value.Section s = value.section(KEYS);
        Value exclusions = s.get("exclusions");
        boolean ownSettings = false;
        for (String key : List.of("mode", "paranoia", "threshold", "bodyLimit")) {
            ownSettings |= s.get(key) != null;
        }
        if (ownSettings) {
            Waf.Builder own = server != null ? server.toBuilder() : Waf.builder();
            settings(s, own, false);
            b.waf(value.build(own::build));
        }
        if (exclusions != null) {
            List<String> ids = exclusions.strings();
            b.wafExclusions(ids.toArray(new String[0]));
            // an unknown id fails here, at its path, rather than later without one
            Waf check = server != null ? server : Waf.builder().build();
            exclusions.build(() -> check.withExclusions(ids));
        }
    }

    private static void settings(Value.Section s, Waf.Builder b, boolean withExclusions) {
        Value at;
        if ((at = s.get("mode")) != null) {
            String mode = at.choice("detect", "block");
            b.mode(WafMode.parse(mode));
        }
        if ((at = s.get("paranoia")) != null) {
            int level = at.integer(1, Waf.MAX_PARANOIA);
            b.paranoia(level);
        }
        if ((at = s.get("threshold")) != null) {
            int threshold = at.integer(1, 10_000);
            b.threshold(threshold);
        }
        if ((at = s.get("bodyLimit")) != null) {
            long bytes = at.size();
            if (bytes > Waf.MAX_BODY_LIMIT) {
                throw at.invalid("a size up to 1MiB, or 0 to inspect no body");
            }
            b.bodyLimit((int) bytes);
        }
        if (withExclusions && (at = s.get("exclusions")) != null) {
            Value x = at;
            List<String> ids = x.strings();
            b.exclude(ids.toArray(new String[0]));
            x.build(() -> Waf.builder().exclude(ids.toArray(new String[0])).build());
        }
    }
}
