package dev.proxy4j.http;

/**
 * A body had more bytes than a limit allowed ({@link Bodies#aggregate(Body, long)}, or a
 * {@link Bodies#tee(Body, BodySink, long) tee}'s sink). It is a flow outcome, not a bug, so it carries
 * no stack trace.
 */
public final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("body: more than " + limit + " bytes (expected: at most " + limit + ")", null, false, false);
        this.limit = limit;
    }

    /** The limit in bytes that the body went past. */
    public long limit() {
        return limit;
    }
}
