package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.RequestLogBuilder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.util.BufferUtil;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Writes a core response to the client: the head, then the body. A backend's body that no filter
 * replaced is copied straight from Jetty's source; a body in memory is written at once; any other
 * body is read chunk by chunk on demand. Body bytes sent are counted in the request log.
 */
final class ResponseWriter {

    private ResponseWriter() {
    }

    /**
     * @param encoder makes the sink that compresses the body into the client's, or is null for a
     *     body sent as it is; the response's headers already say how it goes (no Content-Length
     *     when compressed)
     */
    static void write(ProxyResponse response, @Nullable Function<Content.Sink, EncodingSink> encoder,
            Response proxyToClientResponse, String requestId,
            boolean emitRequestId, RequestLogBuilder log, Runnable clientWriteFailed, Callback done) {
        proxyToClientResponse.setStatus(response.status());
        HttpFields.Mutable headers = proxyToClientResponse.getHeaders();
        Headers fields = response.headers();
        // The backend's own fields, where a header is still one of them (most are: SameFields).
        HttpFields origin = response.body() instanceof UpstreamBody streamed ? streamed.headers() : null;
        int originSize = SameFields.searchable(origin) ? origin.size() : 0;
        int next = 0;
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            String value = fields.value(i);
            int same = originSize == 0 ? -1 : SameFields.indexOf(origin, originSize, next, name, value);
            if (same >= 0) {
                headers.add(origin.getField(same));
                next = same + 1;
            } else {
                headers.add(name, value);
            }
        }
        if (emitRequestId && !headers.contains("X-Request-Id") && !requestId.isEmpty()) {
            headers.put("X-Request-Id", requestId);
        }
        log.status(response.status()).firstByte();
        // Counts what goes, and tells a failure to write to the client from one of the body's source.
        Content.Sink counting = (last, buffer, callback) -> {
            log.addResponseBodyBytes(buffer.remaining());
            proxyToClientResponse.write(last, buffer, Callback.from(callback::succeeded, failure -> {
                clientWriteFailed.run();
                callback.failed(failure);
            }));
        };
        EncodingSink encoding = encoder == null ? null : encoder.apply(counting);
        Content.Sink out = encoding == null ? counting : encoding;
        Body body = response.body();
        if (body instanceof UpstreamBody streamed) {
            if (streamed.length() < 0) {
                // Chunked or HTTP/2: pass the backend's trailers on, if it sends any.
                proxyToClientResponse.setTrailersSupplier(() -> streamed.response().trailers());
            }
            Content.Sink sink = streamed.length() > 0 ? new LastAtLength(out, streamed.length()) : out;
            Callback copied = Callback.from(() -> {
                streamed.copied();
                done.succeeded();
            }, failure -> {
                abort(encoding);
                streamed.fail(failure);
                done.failed(streamed.response().classify(failure));
            });
            WholeBody.copy(streamed.source(), sink, streamed.length(), copied);
        } else if (body instanceof Body.Bytes bytes) {
            // An empty body keeps a Content-Length the response names (a HEAD, a 304 has none).
            int status = response.status();
            Chunk chunk = bytes.read();
            if (encoding != null) {
                encoding.write(true, chunk.data(), Callback.from(done::succeeded, failure -> {
                    abort(encoding);
                    done.failed(failure);
                }));
                return;
            }
            if (bytes.length() > 0 || !headers.contains(HttpHeader.CONTENT_LENGTH) && status != 304 && status != 204) {
                headers.put(HttpHeader.CONTENT_LENGTH, bytes.length());
            }
            log.addResponseBodyBytes(chunk.data().remaining());
            proxyToClientResponse.write(true, chunk.data(), done);
        } else {
            if (body.length() >= 0 && encoding == null) {
                headers.put(HttpHeader.CONTENT_LENGTH, body.length());
            } else {
                // A filter's body of unknown length: the backend's Content-Length no longer holds.
                headers.remove(HttpHeader.CONTENT_LENGTH);
            }
            AtomicReference<HttpFields> trailers = new AtomicReference<>();
            if (body.length() < 0) {
                proxyToClientResponse.setTrailersSupplier(trailers::get);
            }
            // Trailers are sent by the response from its supplier, after the last write.
            Content.Chunk.Processor keepTrailers = (chunk, callback) -> {
                if (chunk instanceof Trailers last) {
                    trailers.set(last.getTrailers());
                    out.write(true, BufferUtil.EMPTY_BUFFER, callback);
                    return true;
                }
                return false;
            };
            Content.copy(JettyBodies.toSource(body), out, keepTrailers, Callback.from(done::succeeded, failure -> {
                abort(encoding);
                body.fail(failure);
                done.failed(failure);
            }));
        }
    }

    /**
     * A sink for a body of known length that makes the write completing it the last one: the
     * client's response ends with the body's last bytes (over HTTP/2, one DATA frame with
     * END_STREAM instead of that frame and an empty one, a second write to the socket), and the
     * source's end of stream that follows is not written again.
     */
    static final class LastAtLength implements Content.Sink {
        private final Content.Sink sink;
        private long remaining;
        private boolean ended;

        LastAtLength(Content.Sink sink, long length) {
            this.sink = sink;
            this.remaining = length;
        }

        @Override
        public void write(boolean last, ByteBuffer buffer, Callback callback) {
            if (ended) {
                if (buffer.hasRemaining()) {
                    callback.failed(new IllegalStateException("a body longer than its Content-Length"));
                } else {
                    callback.succeeded();
                }
                return;
            }
            remaining -= buffer.remaining();
            ended = last || remaining == 0;
            sink.write(ended, buffer, callback);
        }
    }

    private static void abort(@Nullable EncodingSink encoding) {
        if (encoding != null) {
            encoding.abort();
        }
    }
}
