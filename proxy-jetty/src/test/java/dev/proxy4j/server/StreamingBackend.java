package dev.proxy4j.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A backend for streaming tests. {@code GET /download?size=N} sends N bytes of a fixed pseudo-random
 * pattern (chunked, or with Content-Length when {@code length=true}); {@code POST /upload} reads
 * the whole body and answers its SHA-256 in hex and its length; {@code GET /trailers} sends a chunked
 * body followed by a trailer.
 */
final class StreamingBackend extends Handler.Abstract {

    static final int BLOCK = 64 * 1024;
    private static final byte[] PATTERN = pattern();

    private static byte[] pattern() {
        byte[] block = new byte[BLOCK];
        new Random(42).nextBytes(block);
        return block;
    }

    /** Writes {@code size} bytes of the pattern to {@code out}. */
    static void writePattern(OutputStream out, long size) throws java.io.IOException {
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(BLOCK, left);
            out.write(PATTERN, 0, n);
            left -= n;
        }
    }

    /** SHA-256 of {@code size} bytes of the pattern, in hex. */
    static String patternSha256(long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(BLOCK, left);
            digest.update(PATTERN, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The pattern as a stream of {@code size} bytes, generated as it is read. */
    static InputStream patternStream(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? PATTERN[(int) (position++ % BLOCK)] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int offset = (int) (position % BLOCK);
                int n = (int) Math.min(Math.min(len, BLOCK - offset), size - position);
                System.arraycopy(PATTERN, offset, b, off, n);
                position += n;
                return n;
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Fields query = Request.extractQueryParameters(request);
        switch (path) {
            case "/download" -> {
                long size = Long.parseLong(query.getValue("size"));
                if ("true".equals(query.getValue("length"))) {
                    response.getHeaders().put("Content-Length", size);
                }
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    writePattern(out, size);
                }
                callback.succeeded();
            }
            case "/upload" -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long length = 0;
                byte[] buffer = new byte[BLOCK];
                try (InputStream in = Content.Source.asInputStream(request)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                        length += n;
                    }
                }
                String body = HexFormat.of().formatHex(digest.digest()) + " " + length;
                Content.Sink.write(response, true, body, callback);
            }
            case "/trailers" -> {
                response.setTrailersSupplier(() -> HttpFields.build().put("X-Checksum", "abc123"));
                response.write(false, java.nio.ByteBuffer.wrap("part1-".getBytes()), Callback.NOOP);
                response.write(true, java.nio.ByteBuffer.wrap("part2".getBytes()), callback);
            }
            default -> {
                response.setStatus(404);
                callback.succeeded();
            }
        }
        return true;
    }
}
