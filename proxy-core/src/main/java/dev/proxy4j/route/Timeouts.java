package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import java.time.Duration;

/**
 * How long the proxy waits on a backend for one request. {@link Duration#ZERO} means no limit of
 * the route's own (for {@code idle}, the upstream's {@code idleTimeout} on the connection still applies).
 *
 * @param responseHeaders from the moment the whole request has been sent (a long upload does not
 *     count) until the backend's response headers arrive;
 *     default 60 s (nginx {@code proxy_read_timeout} for the first byte). Exceeded: 504.
 * @param idle the longest silence on an exchange in either direction once it started;
 *     default 60 s (nginx {@code proxy_read_timeout}/{@code proxy_send_timeout}). Exceeded before
 *     the response headers: 504; after: the response is cut off.
 * @param total the whole exchange, body included; default none, so that long downloads and streams
 *     are not cut off (Envoy's route {@code timeout} is 15 s; set one where responses are short).
 */
public record Timeouts(Duration responseHeaders, Duration idle, Duration total) {

    public static final Duration DEFAULT_RESPONSE_HEADERS = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TOTAL = Duration.ZERO;

    public static final Timeouts DEFAULTS = new Timeouts(DEFAULT_RESPONSE_HEADERS, DEFAULT_IDLE, DEFAULT_TOTAL);

    public Timeouts {
        Checks.positiveOrZero("responseHeadersTimeout", responseHeaders);
        Checks.positiveOrZero("idleTimeout", idle);
        Checks.positiveOrZero("totalTimeout", total);
    }

    public Timeouts withResponseHeaders(Duration value) {
        return new Timeouts(value, idle, total);
    }

    public Timeouts withIdle(Duration value) {
        return new Timeouts(responseHeaders, value, total);
    }

    public Timeouts withTotal(Duration value) {
        return new Timeouts(responseHeaders, idle, value);
    }
}
