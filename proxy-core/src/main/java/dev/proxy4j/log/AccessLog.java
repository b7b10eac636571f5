package dev.proxy4j.log;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, a {@link RequestLogListener}: one line per request on the SLF4J logger
 * {@value #LOGGER_NAME}, at INFO:
 * <pre>
 * 127.0.0.1 "GET /products/1 HTTP/1.1" 200 512 3ms upstream=127.0.0.1:9001 upstream_status=200 rid=4f1c...
 * </pre>
 * Fields: client address, method, path as received (with query), protocol, status sent, body bytes
 * sent, duration, the endpoint that answered (or {@code -}), its status (or {@code -}), request id,
 * and for a request the proxy refused at the door, why ({@code refused=escaped_slash}, see {@link Refusal}).
 * On by default; {@code ProxyConfig.Builder.accessLog(false)} turns it off, and so does setting the
 * logger's level above INFO.
 */
public final class AccessLog implements RequestLogListener {

    public static final String LOGGER_NAME = "dev.proxy4j.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final AccessLog INSTANCE = new AccessLog();

    private AccessLog() {
    }

    /** The access log listener. */
    public static AccessLog listener() {
        return INSTANCE;
    }

    @Override
    public void onRequestComplete(RequestLog log) {
        if (LOG.isInfoEnabled()) {
            LOG.info(format(log));
        }
    }

    /** The line for {@code log}. */
    public static String format(RequestLog log) {
        String line = format(log.clientAddress(), log.method(), log.target(), log.protocol(), log.status(),
                log.responseBodyBytes(), Math.max(0, log.durationNanos()) / 1_000_000,
                log.endpoint().map(e -> e.authority()).orElse("-"), log.upstreamStatus(), log.requestId());
        Optional<Refusal> refusal = log.refusal();
        return refusal.isEmpty() ? line : line + " refused=" + refusal.get().code();
    }

    /** One line of the log; the target is quoted as the client sent it, so it cannot forge a second line. */
    static String format(String client, String method, String target, String protocol, int status, long bytes,
            long millis, String upstream, int upstreamStatus, String requestId) {
        return escape(client) + " \"" + escape(method) + ' ' + escape(target) + ' ' + protocol + "\" " + status + ' '
                + bytes + ' ' + millis + "ms upstream=" + upstream + " upstream_status="
                + (upstreamStatus == 0 ? "-" : Integer.toString(upstreamStatus))
                + " rid=" + (requestId.isEmpty() ? "-" : escape(requestId));
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
