package dev.proxy4j.examples;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.BodyTooLargeException;
import dev.proxy4j.http.ChunkTransformer;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.UpstreamFailure;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A filter that rewrites a response body as it streams: the letters of {@code text/*} responses are
 * upper-cased chunk by chunk, never holding more than one chunk, up to a byte limit. A response
 * whose Content-Length is over the limit gets 502 before any byte is sent; one of unknown length
 * (chunked) that goes over it mid-stream is cut off, since its head is already on its way. Other
 * content types pass through untouched. See docs/filters.md.
 */
public final class UpperCaseBodyExample {

    /** The limit {@link #main} uses. */
    static final long DEFAULT_LIMIT = 64 * 1024;

    private UpperCaseBodyExample() {
    }

    /** Upper-cases the ASCII letters of text responses of at most {@code limit} bytes. */
    static ProxyFilter upperCase(long limit) {
        return (ctx, request, next) -> next.proceed(request).thenApply(response -> {
            String type = response.headers().get("Content-Type");
            if (type == null || !type.startsWith("text/")) {
                return response;                                   // not ours: the body passes untouched
            }
            Body body = response.body();
            if (body.length() > limit) {
                // We drop the backend's body, so failing it (and freeing its connection) is our job.
                BodyTooLargeException tooLarge = new BodyTooLargeException(limit);
                body.fail(tooLarge);
                throw new UpstreamFailure(UpstreamFailure.Kind.RESPONSE_BODY_TOO_LARGE,
                        "text response of " + body.length() + " bytes", tooLarge);
            }
            // The transformed body takes the backend's over: it reads, releases and fails it from now on.
            return response.toBuilder().body(Bodies.transform(body, new UpperCaseAscii(limit))).build();
        });
    }

    /**
     * Upper-cases a-z, byte for byte, so UTF-8 stays valid and the length stays known; fails the body
     * once more than {@code limit} bytes have passed.
     */
    static final class UpperCaseAscii implements ChunkTransformer {
        private final long limit;
        private long seen;

        UpperCaseAscii(long limit) {
            this.limit = limit;
        }

        @Override
        public ByteBuffer apply(ByteBuffer in, boolean last) {
            seen += in.remaining();
            if (seen > limit) {
                throw new BodyTooLargeException(limit);
            }
            ByteBuffer out = ByteBuffer.allocate(in.remaining());
            while (in.hasRemaining()) {
                byte b = in.get();
                out.put(b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b);
            }
            return out.flip();
        }

        @Override
        public boolean keepsLength() {
            return true;                                           // so Content-Length stays right
        }
    }

    /** A started proxy on {@code port} (0 for a free one) in front of {@code backend}, with the filter at {@code limit}. */
    static ProxyServer start(int port, String backend, long limit) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/").filter(upperCase(limit)).upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = textBackend();
        ProxyServer proxy = start(port, Quickstart.uri(backend), DEFAULT_LIMIT);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        int p = proxy.port();
        System.out.printf("""
                proxy on port %d, limit %d bytes; try:
                  curl -i 'http://127.0.0.1:%d/doc?bytes=100'        (upper-cased, Content-Length: 100)
                  curl -i 'http://127.0.0.1:%d/stream?pieces=8'      (chunked, upper-cased piece by piece)
                  curl -i 'http://127.0.0.1:%d/doc?bytes=100000'     (502: declared over the limit)
                  curl -i 'http://127.0.0.1:%d/stream?pieces=200'    (cut off after the limit)
                  curl -i 'http://127.0.0.1:%d/logo.png'             (not text: untouched)
                """, p, DEFAULT_LIMIT, p, p, p, p, p);
    }

    /** One line of the demo text: 64 bytes, lower case. */
    static final String LINE = "the quick brown fox jumps over the lazy dog, again and again...\n";

    /**
     * A backend of lower-case text: {@code /doc?bytes=N} with a Content-Length, {@code /stream?pieces=N}
     * chunked in pieces of {@code 8 * LINE} (512 bytes) 5 ms apart, and {@code /logo.png}, not text.
     */
    static Server textBackend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Fields query = Request.extractQueryParameters(request);
                String path = Request.getPathInContext(request);
                if (path.equals("/logo.png")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "image/png");
                    response.write(true, ByteBuffer.wrap("png bytes".getBytes(StandardCharsets.US_ASCII)), callback);
                    return true;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                if (path.equals("/doc")) {
                    int bytes = Integer.parseInt(query.getValue("bytes"));
                    response.write(true, ByteBuffer.wrap(text(bytes)), callback);
                    return true;
                }
                int pieces = Integer.parseInt(query.getValue("pieces"));
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    for (int i = 0; i < pieces; i++) {
                        out.write(text(8 * LINE.length()));
                        out.flush();                               // one chunk on the wire per piece
                        Thread.sleep(5);
                    }
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
        return server;
    }

    /** {@code bytes} bytes of {@link #LINE} repeated. */
    static byte[] text(int bytes) {
        return LINE.repeat(bytes / LINE.length() + 1).substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
    }
}
