package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.UpstreamFailure;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpException;

/** What a failure of Jetty's client means, as one of the core's {@link UpstreamFailure} kinds. */
final class Failures {

    private Failures() {
    }

    /**
     * {@code failure} of the exchange of {@code request}, as an {@link UpstreamFailure}: malformed
     * when Jetty's client could not parse the response, whatever it reported.
     */
    static UpstreamFailure classify(Throwable failure, boolean headersReceived, org.eclipse.jetty.client.Request request) {
        if (!(failure instanceof UpstreamFailure) && Http11Upstream.malformed(request)) {
            return new UpstreamFailure(Kind.MALFORMED_RESPONSE, "malformed response", failure);
        }
        return classify(failure, headersReceived);
    }

    /** {@code failure} as an {@link UpstreamFailure}; {@code headersReceived} tells a reset before headers from one after. */
    static UpstreamFailure classify(Throwable failure, boolean headersReceived) {
        if (failure instanceof UpstreamFailure known) {
            return known;
        }
        Kind kind = kindOf(failure, headersReceived);
        return new UpstreamFailure(kind, kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), failure);
    }

    private static Kind kindOf(Throwable failure, boolean headersReceived) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return Kind.REQUEST_BODY_TOO_LARGE;
            }
            if (t instanceof MalformedRequestBody) {
                return Kind.MALFORMED_REQUEST_BODY;
            }
            if (t instanceof ResponseHeadersTimeout || t instanceof PerTryTimeout) {
                return Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return Kind.CONNECT_REFUSED;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).contains("Connect")) {
                return Kind.CONNECT_TIMEOUT;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("total")) {
                    return Kind.TOTAL_TIMEOUT;
                }
                return Kind.IDLE_TIMEOUT;
            }
            if (t instanceof BadMessageException || t instanceof HttpException) {
                return Kind.MALFORMED_RESPONSE;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException || t instanceof IOException) {
                return headersReceived ? Kind.RESET_AFTER_HEADERS : Kind.RESET_BEFORE_HEADERS;
            }
        }
        return headersReceived ? Kind.RESET_AFTER_HEADERS : Kind.OTHER;
    }

    /** No response headers came within the route's response-headers timeout after the request was sent. */
    static final class ResponseHeadersTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        ResponseHeadersTimeout(java.time.Duration timeout) {
            super("no response headers within " + timeout);
        }
    }

    /** An attempt had no response headers within the retry policy's per-try timeout from its start. */
    static final class PerTryTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        PerTryTimeout(java.time.Duration timeout) {
            super("no response headers within the per-try timeout of " + timeout);
        }
    }
}
