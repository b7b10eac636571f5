package dev.proxy4j.jetty.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the SLF4J logger {@value #LOGGER_NAME}, at INFO:
 * <pre>
 * 127.0.0.1 "GET /products/1 HTTP/1.1" 200 512 3ms upstream=127.0.0.1:9001 upstream_status=200 rid=4f1c...
 * </pre>
 * Fields: client address, method, path as received (with query), protocol, status sent, body bytes
 * sent, duration, the endpoint that answered (or {@code -}), its status (or {@code -}), request id.
 */
final class AccessLog {

    static final String LOGGER_NAME = "dev.proxy4j.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private AccessLog() {
    }

    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    static void log(String client, String method, String target, String protocol, int status, long bytes,
            long startNanos, String upstream, int upstreamStatus, String requestId) {
        if (LOG.isInfoEnabled()) {
            long millis = (System.nanoTime() - startNanos) / 1_000_000;
            LOG.info(format(client, method, target, protocol, status, bytes, millis, upstream, upstreamStatus, requestId));
        }
    }

    /** One line of the log; the target is quoted as the client sent it, so it cannot forge a second line. */
    static String format(String client, String method, String target, String protocol, int status, long bytes,
            long millis, String upstream, int upstreamStatus, String requestId) {
        return client + " \"" + method + ' ' + escape(target) + ' ' + protocol + "\" " + status + ' ' + bytes + ' '
                + millis + "ms upstream=" + upstream + " upstream_status="
                + (upstreamStatus == 0 ? "-" : Integer.toString(upstreamStatus)) + " rid=" + escape(requestId);
    }

    private static String escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                StringBuilder escaped = new StringBuilder(text.length() + 8);
                for (int j = 0; j < text.length(); j++) {
                    char d = text.charAt(j);
                    if (d < 0x20 || d == '"' || d == '\\' || d >= 0x7f) {
                        escaped.append(String.format("\\x%02x", (int) d & 0xff));
                    } else {
                        escaped.append(d);
                    }
                }
                return escaped.toString();
            }
        }
        return text;
    }
}
