package dev.proxy4j.config;

import dev.proxy4j.internal.Checks;

/**
 * Size limits on what clients send. Over a limit the client gets a clear status and the request
 * never reaches a backend.
 *
 * @param maxRequestHeaderBytes request line plus headers; default 16 KiB (Jetty's default is 8 KiB,
 *     nginx allows 8 KiB per line in up to four buffers). An over-long request line gets 414,
 *     over-large headers 431.
 * @param maxRequestBodyBytes default 100 MiB (nginx's {@code client_max_body_size} is 1 MiB, too small
 *     for most APIs that upload); {@link #UNLIMITED} for none. Over it: 413.
 * @param maxRequestHeaderCount header fields in a request; default 100 (Apache's
 *     {@code LimitRequestFields}), at most {@value #MAX_REQUEST_HEADER_COUNT}. Over it: 431. Many tiny
 *     fields cost far more to handle than their bytes say.
 */
public record Limits(int maxRequestHeaderBytes, long maxRequestBodyBytes, int maxRequestHeaderCount) {

    public static final long UNLIMITED = Long.MAX_VALUE;
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_REQUEST_HEADER_COUNT = 100;
    public static final int MAX_REQUEST_HEADER_COUNT = 10_000;

    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_REQUEST_HEADER_BYTES, DEFAULT_MAX_REQUEST_BODY_BYTES,
            DEFAULT_MAX_REQUEST_HEADER_COUNT);

    public Limits {
        if (maxRequestHeaderBytes < 1024) {
            throw new IllegalArgumentException(
                    "maxRequestHeaderBytes: " + maxRequestHeaderBytes + " (expected: >= 1024)");
        }
        Checks.positive("maxRequestBodyBytes", maxRequestBodyBytes);
        if (maxRequestHeaderCount < 1 || maxRequestHeaderCount > MAX_REQUEST_HEADER_COUNT) {
            throw new IllegalArgumentException("maxRequestHeaderCount: " + maxRequestHeaderCount
                    + " (expected: 1.." + MAX_REQUEST_HEADER_COUNT + ")");
        }
    }

    /** With the default header count. */
    public Limits(int maxRequestHeaderBytes, long maxRequestBodyBytes) {
        this(maxRequestHeaderBytes, maxRequestBodyBytes, DEFAULT_MAX_REQUEST_HEADER_COUNT);
    }
}
