package dev.proxy4j.jetty.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** How a failed exchange with a backend looks to the client. */
final class UpstreamFailure {

    private UpstreamFailure() {
    }

    /** The connection could not be made: nothing was sent, so another endpoint may be tried. */
    static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).contains("Connect")) {
                return true;
            }
        }
        return false;
    }

    /** 504 for a backend too slow to answer, 413 for an over-large body, 502 for everything else. */
    static int status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return 413;
            }
        }
        if (isConnectFailure(failure)) {
            return 502;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return 504;
            }
        }
        return 502;
    }
}
