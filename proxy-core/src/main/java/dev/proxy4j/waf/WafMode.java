package dev.proxy4j.waf;

import java.util.Locale;

/** What the {@link Waf} does when a request's anomaly score reaches the threshold. */
public enum WafMode {
    /** Logs the matches and lets the request go on (ModSecurity's {@code DetectionOnly}): for tuning. */
    DETECT,
    /** Refuses the request with 403; nothing reaches a backend. */
    BLOCK;

    /** {@code detect} or {@code block}, as the launcher and the config file spell it. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code detect} or {@code block} (any case). */
    public static WafMode parse(String text) {
        for (WafMode mode : values()) {
            if (mode.code().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("waf mode: \"" + text + "\" (expected: detect or block)");
    }
}
