package dev.proxy4j.filter;

/** A filter broke its contract. The client sees 500; the message names the filter, in the log only. */
public final class FilterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FilterException(String message) {
        super(message);
    }

    public FilterException(String message, Throwable cause) {
        super(message, cause);
    }
}
