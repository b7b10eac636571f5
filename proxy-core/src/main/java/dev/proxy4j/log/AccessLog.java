package dev.proxy4j.log;

import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.internal.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, a {@link RequestLogListener}: one line per request on the SLF4J logger
 * {@value #LOGGER_NAME}, at INFO, in one of three {@link AccessLogFormat formats}.
 *
 * <p>{@code default}:
 * <pre>
 * 127.0.0.1 "GET /products/1 HTTP/1.1" 200 512 3ms upstream=127.0.0.1:9001 upstream_status=200 rid=4f1c...
 * </pre>
 * Fields: client address, method, path as received (with query), protocol, status sent, body bytes
 * sent, duration, the endpoint that answered (or {@code -}), its status (or {@code -}), request id,
 * {@code retry_budget=spent} when a retry was refused by the upstream's retry budget, and for a
 * request the proxy refused at the door, why ({@code refused=escaped_slash}, see {@link Refusal}).
 *
 * <p>{@code combined}: nginx's combined line, then the proxy's fields:
 * <pre>
 * 127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 512 "https://ref/" "curl/8.5" rid=4f1c route=api
 *     upstream=api upstream_addr=127.0.0.1:9001 upstream_status=200 request_time=0.003 ttfb=0.002 tls=TLSv1.3 sni=example.com
 * </pre>
 * (one line); {@code -} for what is not known, times in seconds with millisecond precision as nginx's
 * {@code $request_time}, the local time in UTC, and {@code error=}, {@code retry_budget=spent} and
 * {@code refused=} when they apply.
 *
 * <p>{@code json}: one object per line with the keys {@code time} (ISO-8601, UTC), {@code client},
 * {@code method}, {@code target}, {@code protocol}, {@code status}, {@code requestBytes},
 * {@code responseBytes}, {@code durationMs}, {@code firstByteMs}, {@code requestId}, {@code route},
 * {@code upstream}, {@code upstreamAddr}, {@code upstreamStatus}, {@code attempts}, {@code userAgent},
 * {@code referer}, {@code tls} ({@code {"protocol", "cipher", "sni"}}), {@code error},
 * {@code retryBudgetSpent} (true, when so), {@code refused};
 * keys with no value are left out.
 *
 * <p>On by default; {@code ProxyConfig.Builder.accessLog(false)} turns it off, and so does setting the
 * logger's level above INFO.
 */
public final class AccessLog implements RequestLogListener {

    public static final String LOGGER_NAME = "dev.proxy4j.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Map<AccessLogFormat, AccessLog> INSTANCES = new EnumMap<>(AccessLogFormat.class);
    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    static {
        for (AccessLogFormat format : AccessLogFormat.values()) {
            INSTANCES.put(format, new AccessLog(format));
        }
    }

    private final AccessLogFormat format;

    private AccessLog(AccessLogFormat format) {
        this.format = format;
    }

    /** The access log listener in the default format. */
    public static AccessLog listener() {
        return listener(AccessLogFormat.DEFAULT);
    }

    /** The access log listener in {@code format}. */
    public static AccessLog listener(AccessLogFormat format) {
        return INSTANCES.get(Objects.requireNonNull(format, "format"));
    }

    public AccessLogFormat format() {
        return format;
    }

    @Override
    public void onRequestComplete(RequestLog log) {
        if (LOG.isInfoEnabled()) {
            LOG.info(format(log, format));
        }
    }

    /** The line for {@code log} in {@code format}. */
    public static String format(RequestLog log, AccessLogFormat format) {
        return switch (format) {
            case DEFAULT -> format(log);
            case COMBINED -> combined(log);
            case JSON -> json(log);
        };
    }

    @Override
    public String toString() {
        return "AccessLog[" + format.spelling() + ']';
    }

    /** The line for {@code log}. */
    public static String format(RequestLog log) {
        String line = format(log.clientAddress(), log.method(), log.target(), log.protocol(), log.status(),
                log.responseBodyBytes(), Math.max(0, log.durationNanos()) / 1_000_000,
                log.endpoint().map(e -> e.authority()).orElse("-"), log.upstreamStatus(), log.requestId());
        Optional<Refusal> refusal = log.refusal();
        if (log.retryBudgetSpent()) {
            line += " retry_budget=spent";
        }
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

    static String combined(RequestLog log) {
        StringBuilder line = new StringBuilder(256);
        line.append(escape(log.clientAddress())).append(" - - [")
                .append(COMBINED_TIME.format(Instant.ofEpochMilli(log.startMillis()))).append("] \"")
                .append(escape(log.method())).append(' ').append(escape(log.target())).append(' ')
                .append(log.protocol()).append("\" ").append(log.status()).append(' ').append(log.responseBodyBytes())
                .append(" \"").append(log.referer().map(AccessLog::escape).orElse("-")).append("\" \"")
                .append(log.userAgent().map(AccessLog::escape).orElse("-")).append('"');
        line.append(" rid=").append(log.requestId().isEmpty() ? "-" : escape(log.requestId()));
        line.append(" route=").append(log.route().map(AccessLog::bare).orElse("-"));
        line.append(" upstream=").append(log.upstream().map(AccessLog::bare).orElse("-"));
        line.append(" upstream_addr=").append(log.endpoint().map(e -> bare(e.authority())).orElse("-"));
        line.append(" upstream_status=").append(log.upstreamStatus() == 0 ? "-" : Integer.toString(log.upstreamStatus()));
        line.append(" request_time=").append(seconds(log.durationNanos()));
        line.append(" ttfb=").append(log.firstByteNanos() < 0 ? "-" : seconds(log.firstByteNanos()));
        Optional<TlsInfo> tls = log.tls();
        line.append(" tls=").append(tls.map(t -> bare(t.protocol())).orElse("-"));
        line.append(" sni=").append(tls.flatMap(TlsInfo::sni).map(AccessLog::bare).orElse("-"));
        log.failure().ifPresent(kind -> line.append(" error=").append(kind.name().toLowerCase(Locale.ROOT)));
        if (log.retryBudgetSpent()) {
            line.append(" retry_budget=spent");
        }
        log.refusal().ifPresent(refusal -> line.append(" refused=").append(refusal.code()));
        return line.toString();
    }

    static String json(RequestLog log) {
        StringBuilder line = new StringBuilder(384).append('{');
        field(line, "time", Instant.ofEpochMilli(log.startMillis()).toString());
        field(line, "client", log.clientAddress());
        field(line, "method", log.method());
        field(line, "target", log.target());
        field(line, "protocol", log.protocol());
        number(line, "status", log.status());
        number(line, "requestBytes", log.requestBodyBytes());
        number(line, "responseBytes", log.responseBodyBytes());
        line.append(",\"durationMs\":").append(millis(log.durationNanos()));
        if (log.firstByteNanos() >= 0) {
            line.append(",\"firstByteMs\":").append(millis(log.firstByteNanos()));
        }
        if (!log.requestId().isEmpty()) {
            field(line, "requestId", log.requestId());
        }
        log.route().ifPresent(route -> field(line, "route", route));
        log.upstream().ifPresent(upstream -> field(line, "upstream", upstream));
        log.endpoint().ifPresent(endpoint -> field(line, "upstreamAddr", endpoint.authority()));
        if (log.upstreamStatus() != 0) {
            number(line, "upstreamStatus", log.upstreamStatus());
        }
        number(line, "attempts", log.attempts().size());
        log.userAgent().ifPresent(agent -> field(line, "userAgent", agent));
        log.referer().ifPresent(referer -> field(line, "referer", referer));
        log.tls().ifPresent(tls -> {
            line.append(",\"tls\":{");
            line.append("\"protocol\":");
            Json.quote(tls.protocol(), line);
            line.append(",\"cipher\":");
            Json.quote(tls.cipherSuite(), line);
            tls.sni().ifPresent(sni -> {
                line.append(",\"sni\":");
                Json.quote(sni, line);
            });
            line.append('}');
        });
        log.failure().ifPresent(kind -> field(line, "error", kind.name().toLowerCase(Locale.ROOT)));
        if (log.retryBudgetSpent()) {
            line.append(",\"retryBudgetSpent\":true");
        }
        log.refusal().ifPresent(refusal -> field(line, "refused", refusal.code()));
        return line.append('}').toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (line.length() > 1) {
            line.append(',');
        }
        line.append('"').append(key).append("\":");
        Json.quote(value, line);
    }

    private static void number(StringBuilder line, String key, long value) {
        line.append(",\"").append(key).append("\":").append(value);
    }

    private static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        return micros / 1000 + "." + String.format("%03d", micros % 1000);
    }

    /** nginx's {@code $request_time}: seconds with millisecond precision. */
    private static String seconds(long nanos) {
        long millis = Math.max(0, nanos) / 1_000_000;
        return millis / 1000 + "." + String.format("%03d", millis % 1000);
    }

    /** A value outside quotes: escaped, and a space escaped too so that the key=value pairs stay apart. */
    private static String bare(String text) {
        return escape(text).replace(" ", "\\x20");
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
