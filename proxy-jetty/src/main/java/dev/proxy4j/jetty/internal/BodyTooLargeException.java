package dev.proxy4j.jetty.internal;

/** A request body went past the configured limit: the client gets 413. */
final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes", null, false, false);
    }
}
