package dev.proxy4j.jetty.internal;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpExchange;
import org.eclipse.jetty.client.transport.HttpResponse;
import org.eclipse.jetty.client.transport.internal.HttpChannelOverHTTP;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;
import org.eclipse.jetty.client.transport.internal.HttpReceiverOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's HTTP/1.1 client connections, telling a backend's malformed response body from a cut one.
 * Jetty's parser reports a bad chunk in a body as an early end of stream, as it does a connection
 * the backend closed; the connection is still open in the first case only. Such an exchange's
 * request is marked ({@link #MALFORMED}), and its failure is {@code MALFORMED_RESPONSE} (502).
 */
final class Http11Upstream {

    /** The request attribute set when the backend's response could not be parsed. */
    static final String MALFORMED = "dev.proxy4j.malformedResponse";

    static final ClientConnectionFactory.Info INFO = new ClientConnectionFactory.Info(new Factory()) {
        @Override
        public List<String> getProtocols(boolean secure) {
            return List.of("http/1.1");
        }

        @Override
        public String toString() {
            return "proxy4j-http/1.1";
        }
    };

    private Http11Upstream() {
    }

    /**
     * The request attribute set when the connection the request went on had carried a response
     * before and ended (closed or reset) before any of this request's response came: a kept-alive
     * connection the backend closed as the request went out.
     */
    static final String STALE = "dev.proxy4j.staleConnection";

    /** Whether {@code request} failed on a kept-alive connection before any byte of its response ({@link #STALE}). */
    static boolean staleConnection(org.eclipse.jetty.client.Request request) {
        return Boolean.TRUE.equals(request.getAttributes().get(STALE));
    }

    /** Whether the backend's response to {@code request} could not be parsed. */
    static boolean malformed(org.eclipse.jetty.client.Request request) {
        return Boolean.TRUE.equals(request.getAttributes().get(MALFORMED));
    }

    private static final class Factory extends HttpClientConnectionFactory {
        @Override
        public Connection newConnection(EndPoint endPoint, Map<String, Object> context) {
            HttpConnectionOverHTTP connection = new HttpConnectionOverHTTP(endPoint, context) {
                @Override
                protected HttpChannelOverHTTP newHttpChannel() {
                    return new HttpChannelOverHTTP(this) {
                        @Override
                        protected HttpReceiverOverHTTP newHttpReceiver() {
                            return new Receiver(this);
                        }
                    };
                }
            };
            connection.setInitialize(isInitializeConnections());
            connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
            return customize(connection, context);
        }
    }

    private static final class Receiver extends HttpReceiverOverHTTP {
        /**
         * The exchange whose response head is being parsed, from its status line to the end of its
         * head; null otherwise. Jetty looks the exchange up again, under the channel's lock, for
         * every header of the head ({@link #parsedHeader}). Touched by the parsing thread only.
         */
        private @Nullable HttpExchange parsing;

        Receiver(HttpChannelOverHTTP channel) {
            super(channel);
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            super.startResponse(version, status, reason);
            parsing = getHttpExchange();
        }

        /**
         * Adds the header to the exchange found at the status line. Should that exchange be
         * aborted meanwhile, its failed response gets the rest of the head, which nothing reads;
         * the end of the head ({@link #headerComplete}) looks the exchange up as Jetty does.
         */
        @Override
        public void parsedHeader(HttpField field) {
            HttpExchange exchange = parsing;
            if (exchange == null) {
                super.parsedHeader(field);
                return;
            }
            responseHeader(exchange, field);
        }

        @Override
        public boolean headerComplete() {
            parsing = null;
            return super.headerComplete();
        }

        @Override
        protected void reset() {
            parsing = null;
            super.reset();
        }

        /**
         * Adds a parsed response header to the exchange's response here, on the loop parsing it,
         * where Jetty queues each one through the receiver's serializing invoker (an allocation
         * and two atomic operations per header) and takes the exchange's lock to check it is still
         * on. The response's listeners are told as Jetty tells them; no cookie is stored (the
         * clients' cookie store is empty). The invoker serializes with an abort from another
         * thread, which fails the response: Jetty reads a failed response's headers nowhere, and
         * its {@code responseHeaders} step, still through the invoker, drops an aborted exchange.
         */
        @Override
        protected void responseHeader(HttpExchange exchange, HttpField field) {
            HttpResponse response = exchange.getResponse();
            if (exchange.getConversation().getResponseListeners().notifyHeader(response, field)) {
                response.addHeader(field);
            }
        }

        @Override
        public boolean messageComplete() {
            boolean complete = super.messageComplete();
            HttpExchange exchange = getHttpExchange();
            if (complete && exchange != null && !HttpStatus.isInterim(exchange.getResponse().getStatus())
                    && getHttpChannel().getHttpConnection().getEndPoint() instanceof BackendEndPoint endPoint) {
                // The read Jetty makes next, before waiting for the selector, would find nothing.
                endPoint.responseComplete();
            }
            return complete;
        }

        @Override
        public void earlyEOF() {
            // A real end of stream has shut the input down, and so has an abort; a parse error leaves it open.
            EndPoint endPoint = getHttpChannel().getHttpConnection().getEndPoint();
            if (endPoint.isOpen() && !endPoint.isInputShutdown()) {
                HttpExchange exchange = getHttpExchange();
                if (exchange != null) {
                    exchange.getRequest().attribute(MALFORMED, Boolean.TRUE);
                }
            } else {
                markStale();
            }
            super.earlyEOF();
        }

        @Override
        public void failAndClose(Throwable failure) {
            // A reset (ECONNRESET) while reading, as opposed to the end of stream above.
            markStale();
            super.failAndClose(failure);
        }

        /** Marks the exchange {@link #STALE} when no byte of its response came and the connection had carried one before. */
        private void markStale() {
            HttpExchange exchange = getHttpExchange();
            if (exchange != null && exchange.getResponse().getStatus() == 0
                    && getHttpChannel().getHttpConnection().getMessagesIn() > 0) {
                exchange.getRequest().attribute(STALE, Boolean.TRUE);
            }
        }
    }
}
