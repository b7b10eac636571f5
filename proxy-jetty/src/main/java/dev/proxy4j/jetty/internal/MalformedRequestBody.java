package dev.proxy4j.jetty.internal;

/** The client's request body could not be parsed (bad chunk framing): the client gets 400, not the backend's 502. */
final class MalformedRequestBody extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedRequestBody(Throwable cause) {
        super("malformed request body: " + cause.getMessage(), cause, false, false);
    }
}
