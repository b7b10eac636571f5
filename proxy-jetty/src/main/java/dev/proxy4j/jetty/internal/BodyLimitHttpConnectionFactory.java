package dev.proxy4j.jetty.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 connections whose parser counts the body bytes a chunked request announces, so that a
 * chunk whose size line already goes past the body limit is refused (413) before its bytes are
 * read, rather than streamed up to the limit. {@link RequestBody} reads the count.
 */
final class BodyLimitHttpConnectionFactory extends HttpConnectionFactory {

    private final boolean lean;

    BodyLimitHttpConnectionFactory(HttpConfiguration http) {
        this(http, false);
    }

    /**
     * @param lean whether a connection starts as a {@link LeanHttp11Server}, which serves its
     *     plainest requests itself and hands over to {@link #jettyConnection Jetty's} for the rest
     *     (a plain listener's, when enabled)
     */
    BodyLimitHttpConnectionFactory(HttpConfiguration http, boolean lean) {
        super(http);
        this.lean = lean;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (lean && LeanHttp11Server.serves(connector, endPoint, getHttpConfiguration())) {
            return configure(new LeanHttp11Server(this, getHttpConfiguration(), (LoopConnector) connector,
                    (LoopConnector.LoopEndPoint) endPoint), connector, endPoint);
        }
        return jettyConnection(connector, endPoint);
    }

    /** Jetty's HTTP/1.1 connection, counting announced chunk sizes. */
    Connection jettyConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new CountingConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Body bytes the chunk sizes of the request being read on {@code connection} announced so far, or 0 when not known. */
    static long announced(@Nullable Connection connection) {
        return connection instanceof CountingConnection counting
                && counting.getParser() instanceof CountingParser parser ? parser.announced : 0;
    }

    private static final class CountingConnection extends HttpConnection {
        CountingConnection(HttpConfiguration http, Connector connector, EndPoint endPoint) {
            super(http, connector, endPoint);
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser plain = super.newHttpParser(compliance);
            if (!(plain.getHandler() instanceof HttpParser.RequestHandler handler)) {
                return plain;
            }
            HttpParser parser = new CountingParser(handler, getHttpConfiguration().getRequestHeaderSize(), compliance);
            parser.setHeaderCacheSize(plain.getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(plain.isHeaderCacheCaseSensitive());
            return parser;
        }
    }

    /**
     * Adds up chunk sizes as the parser enters each chunk: the size line is the bytes just before
     * the parser's position then. When the line began in an earlier read that is no longer in the
     * buffer, that chunk is not counted (never more than announced): the streaming count still holds.
     */
    private static final class CountingParser extends HttpParser {
        private static final long MAX = 1L << 48;
        private @Nullable ByteBuffer parsing;
        /** Where this parse began, and whether a size line was already begun then. */
        private int entry;
        private boolean lineBegunBefore;
        private volatile long announced;

        CountingParser(HttpParser.RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
            super(handler, maxHeaderBytes, compliance);
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            parsing = buffer;
            entry = buffer.position();
            lineBegunBefore = getState() == State.CHUNK_SIZE;
            try {
                return super.parseNext(buffer);
            } finally {
                parsing = null;
            }
        }

        @Override
        protected void setState(State state) {
            ByteBuffer buffer = parsing;
            if (state == State.CHUNK && buffer != null) {
                announced = Math.min(MAX, announced + chunkSize(buffer, buffer.position(), entry, lineBegunBefore));
            } else if (state == State.START) {
                announced = 0;
            }
            super.setState(state);
        }

        @Override
        public void reset() {
            super.reset();
            announced = 0;
        }

        /** The hex size on the line that ends just before {@code end} (with its LF), or 0 when it is not all there. */
        private static long chunkSize(ByteBuffer buffer, int end, int entry, boolean lineBegunBefore) {
            int i = end - 1;
            if (i < 0 || buffer.get(i) != '\n') {
                return 0;
            }
            while (--i >= 0 && buffer.get(i) != '\n') {
                // back to the end of the line before
            }
            int start;
            if (i >= 0) {
                start = i + 1;
            } else if (lineBegunBefore) {
                return 0;
            } else {
                start = entry;
            }
            long size = 0;
            for (int at = start; at < end; at++) {
                int digit = Character.digit(buffer.get(at), 16);
                if (digit < 0) {
                    break;
                }
                size = Math.min(MAX, size * 16 + digit);
            }
            return size;
        }
    }
}
