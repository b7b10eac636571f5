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
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.info("{} \"{} {} {}\" {} {} {}ms upstream={} upstream_status={} rid={}",
                client, method, target, protocol, status, bytes, millis, upstream,
                upstreamStatus == 0 ? "-" : Integer.toString(upstreamStatus), requestId);
    }
}
