package dev.proxy4j.jetty.internal;

import dev.proxy4j.log.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The proxy's own error responses: a status line and its reason in plain text, nothing else:
 * no backend address, no exception text, no version. Also serves as the server's error handler, so
 * the errors Jetty answers itself (400 for a malformed request, 414, 431) look the same.
 */
final class ErrorResponses implements Request.Handler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErrorResponses.class);

    private final java.util.function.Supplier<java.util.List<dev.proxy4j.log.RequestLogListener>> listeners;

    private final java.util.function.BooleanSupplier emitsRequestId;

    /**
     * @param listeners the request log listeners of the routing in force when Jetty refuses a request
     * @param emitsRequestId whether the routing in force answers with X-Request-Id
     */
    ErrorResponses(java.util.function.Supplier<java.util.List<dev.proxy4j.log.RequestLogListener>> listeners,
            java.util.function.BooleanSupplier emitsRequestId) {
        this.listeners = listeners;
        this.emitsRequestId = emitsRequestId;
    }

    /** The proxy's own answer with this status, as a core response: for the filters to see, e.g. a 404. */
    /**
     * What the proxy's own 405 names in Allow (RFC 9110 15.5.6: a 405 must say what is allowed): the
     * methods it forwards as requests. TRACE is refused unless allowed; CONNECT is only ever a tunnel.
     */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";

    static dev.proxy4j.http.ProxyResponse response(int status) {
        return dev.proxy4j.http.ProxyResponse.builder(status)
                .headers(status == 405
                        ? dev.proxy4j.http.Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store",
                                "Allow", ALLOWED_METHODS)
                        : dev.proxy4j.http.Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store"))
                .body(dev.proxy4j.http.Body.of(body(status)))
                .build();
    }

    private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

    static void write(Response response, Callback callback, int status, String requestId) {
        write(response, callback, status, requestId, "");
    }

    /** With {@code reason} (about the client's request, never the proxy's or a backend's insides) under the status line. */
    static void write(Response response, Callback callback, int status, String requestId, String reason) {
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        // A refusal that must not leave the connection open (faulty framing) has said so already.
        boolean close = headers.contains(HttpHeader.CONNECTION, "close");
        headers.clear();
        if (close) {
            headers.put(HttpHeader.CONNECTION, "close");
        }
        if (!requestId.isEmpty()) {
            headers.put("X-Request-Id", requestId);
        }
        if (status == 405) {
            headers.put(HttpHeader.ALLOW, ALLOWED_METHODS);
        }
        writeBody(response, callback, status, reason);
    }

    private static int writeBody(Response response, Callback callback, int status, String reason) {
        byte[] body = body(status, reason);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(TEXT);
        headers.put(NO_STORE);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return body.length;
    }

    /** The body of the proxy's own answer with this status, e.g. {@code "502 Bad Gateway\n"}. */
    static byte[] body(int status) {
        return body(status, "");
    }

    /** The body with a reason, e.g. {@code "400 Bad Request\nencoded slash or backslash in path\n"}. */
    static byte[] body(int status, String reason) {
        String line = status + " " + HttpStatus.getMessage(status) + "\n";
        return (reason.isEmpty() ? line : line + reason + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer errorStatus) {
            status = errorStatus;
        }
        if (status < 400) {
            status = 500;
        }
        response.setStatus(status);
        // Nothing of the request can be trusted here: the answer gets an id of its own, the log the same one.
        String requestId = dev.proxy4j.forward.RequestIds.next();
        if (emitsRequestId.getAsBoolean()) {
            response.getHeaders().put("X-Request-Id", requestId);
        }
        int bytes = 0;
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
        } else {
            bytes = writeBody(response, callback, status, "");
        }
        // Requests Jetty refused before any handler saw them: logged here, with what is known of them.
        // A request Jetty could not parse reaches here as "BAD /badMessage": nothing of it is known.
        boolean unparsed = request.getHttpURI() == null || "/badMessage".equals(request.getHttpURI().getPath());
        String target = unparsed ? "-" : String.valueOf(request.getHttpURI().getPathQuery());
        dev.proxy4j.log.RequestLogBuilder log = refusedLog(request, target, unparsed ? "-" : request.getMethod(),
                requestId);
        log.status(status).refusal(Refusal.PARSER).addResponseBodyBytes(bytes);
        if (LOG.isDebugEnabled()) {
            LOG.debug("refused {} {} from {} with {}: {}", log.method(), target, Request.getRemoteAddr(request), status,
                    request.getAttribute(ErrorHandler.ERROR_MESSAGE));
        }
        log.end(listeners.get());
        return true;
    }

    /** The id of a request the proxy refuses at the door: the client's when it is acceptable, else a new one. */
    static String refusedRequestId(Request request) {
        String incoming = request.getHeaders() == null ? null : request.getHeaders().get("X-Request-Id");
        return incoming != null && dev.proxy4j.forward.RequestIds.isAcceptable(incoming) ? incoming
                : dev.proxy4j.forward.RequestIds.next();
    }

    /** The log of a request refused before it got a context. */
    static dev.proxy4j.log.RequestLogBuilder refusedLog(Request request, String target, String method, String requestId) {
        long begin = request.getBeginNanoTime();
        return new dev.proxy4j.log.RequestLogBuilder(requestId, Request.getRemoteAddr(request),
                method, target, request.getConnectionMetaData().getProtocol(),
                System.currentTimeMillis(), dev.proxy4j.time.Ticker.system(), begin != 0 ? begin : System.nanoTime());
    }
}
