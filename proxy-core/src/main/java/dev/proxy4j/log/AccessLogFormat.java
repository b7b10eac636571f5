package dev.proxy4j.log;

import java.util.Locale;

/** The shape of the access log's lines; see {@link AccessLog} for each one's fields. */
public enum AccessLogFormat {
    /** The proxy's own line: client, request line, status, bytes, duration, upstream, request id. */
    DEFAULT,
    /**
     * nginx's {@code combined} line (client, {@code -}, user, local time, request line, status, bytes,
     * referer, user agent), followed by the proxy's fields as {@code key=value}.
     */
    COMBINED,
    /** One JSON object per line. */
    JSON;

    /** {@code default}, {@code combined} or {@code json}, any case. */
    public static AccessLogFormat parse(String name) {
        for (AccessLogFormat format : values()) {
            if (format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("accessLogFormat: " + name + " (expected: one of default, combined, json)");
    }

    /** The name as flags and the config file spell it. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }
}
