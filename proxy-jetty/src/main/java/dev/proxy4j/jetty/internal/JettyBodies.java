package dev.proxy4j.jetty.internal;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * Bridges between core {@link Body bodies} and Jetty {@link Content.Source sources}, without copying
 * bytes: a Jetty chunk becomes a core chunk whose release releases it, and the other way round. Each
 * side keeps its contract: one reader, read with demand, every chunk released once by whoever read it.
 *
 * <p>Failures: a Jetty failure chunk becomes a failed (last) core chunk. Core bodies know no transient
 * failure, so a Jetty chunk that fails without being last ends the core body too, and the Jetty source
 * is failed with it. Trailers: a Jetty {@link Trailers} chunk becomes a last core chunk carrying
 * {@link Headers}; a core last chunk with trailers becomes a {@link Trailers} chunk (after a data chunk
 * when it also has bytes).
 */
final class JettyBodies {

    private JettyBodies() {
    }

    /** A core body over {@code source}, of the source's length, whose trailers arrive in-band (the server's request). */
    static Body fromSource(Content.Source source) {
        Objects.requireNonNull(source, "source");
        return new FromSource(source, source.getLength(), null);
    }

    /**
     * A core body over {@code source} of {@code length} bytes (-1 when unknown). When the source ends
     * without a {@link Trailers} chunk, {@code trailers} is asked once, at the end, for trailers that
     * arrived out of band (the client's response): null or empty means none.
     */
    static Body fromSource(Content.Source source, long length, Supplier<@Nullable HttpFields> trailers) {
        return new FromSource(Objects.requireNonNull(source, "source"), length,
                Objects.requireNonNull(trailers, "trailers"));
    }

    /**
     * A Jetty source over {@code body}, for {@code Content.copy(toSource(body), sink, callback)}. A body
     * made by {@link #fromSource(Content.Source)} gives back its own source, untouched.
     */
    static Content.Source toSource(Body body) {
        Objects.requireNonNull(body, "body");
        if (body instanceof FromSource from && from.trailers == null) {
            return from.source;
        }
        return new ToSource(body);
    }

    static Headers toHeaders(HttpFields fields) {
        Headers.Builder headers = Headers.builder();
        for (HttpField field : fields) {
            headers.add(field.getName(), field.getValue());
        }
        return headers.build();
    }

    static HttpFields toFields(Headers headers) {
        HttpFields.Mutable fields = HttpFields.build(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            fields.add(headers.name(i), headers.value(i));
        }
        return fields.asImmutable();
    }

    /** A core body reading a Jetty source. */
    private static final class FromSource implements Body {
        final Content.Source source;
        final long length;
        final @Nullable Supplier<@Nullable HttpFields> trailers;

        FromSource(Content.Source source, long length, @Nullable Supplier<@Nullable HttpFields> trailers) {
            this.source = source;
            this.length = length;
            this.trailers = trailers;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public @Nullable Chunk read() {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                return null;
            }
            Throwable failure = chunk.getFailure();
            if (failure != null) {
                chunk.release();
                if (!chunk.isLast()) {
                    source.fail(failure);
                }
                return Chunk.failed(failure);
            }
            if (chunk instanceof Trailers inBand) {
                chunk.release();
                return Chunk.end(toHeaders(inBand.getTrailers()));
            }
            Headers outOfBand = chunk.isLast() ? suppliedTrailers() : null;
            if (chunk.isLast() && !chunk.hasRemaining()) {
                chunk.release();
                return outOfBand == null ? Chunk.end() : Chunk.end(outOfBand);
            }
            return new JettyChunk(chunk, outOfBand);
        }

        private @Nullable Headers suppliedTrailers() {
            HttpFields fields = trailers == null ? null : trailers.get();
            return fields == null || fields.size() == 0 ? null : toHeaders(fields);
        }

        @Override
        public void demand(Runnable onReady) {
            source.demand(onReady);
        }

        @Override
        public void fail(Throwable failure) {
            source.fail(failure);
        }

        @Override
        public String toString() {
            return "Body[" + source + ']';
        }
    }

    /** A core chunk over a Jetty chunk's bytes. */
    private static final class JettyChunk implements Chunk {
        private final Content.Chunk chunk;
        private final @Nullable Headers trailers;

        JettyChunk(Content.Chunk chunk, @Nullable Headers trailers) {
            this.chunk = chunk;
            this.trailers = trailers;
        }

        @Override
        public ByteBuffer data() {
            return chunk.getByteBuffer();
        }

        @Override
        public boolean isLast() {
            return chunk.isLast();
        }

        @Override
        public @Nullable Headers trailers() {
            return trailers;
        }

        @Override
        public void release() {
            chunk.release();
        }

        @Override
        public String toString() {
            return "Chunk[" + chunk + (trailers != null ? ", trailers" : "") + ']';
        }
    }

    /** A Jetty source reading a core body. */
    private static final class ToSource implements Content.Source {
        private final Body body;
        /** Trailers of a last core chunk that also had bytes: the Trailers chunk after them. */
        private volatile @Nullable HttpFields pendingTrailers;

        ToSource(Body body) {
            this.body = body;
        }

        @Override
        public long getLength() {
            return body.length();
        }

        @Override
        public Content.@Nullable Chunk read() {
            HttpFields pending = pendingTrailers;
            if (pending != null) {
                pendingTrailers = null;
                return new Trailers(pending);
            }
            Chunk chunk = body.read();
            if (chunk == null) {
                return null;
            }
            Throwable failure = chunk.failure();
            if (failure != null) {
                chunk.release();
                return Content.Chunk.from(failure, true);
            }
            Headers trailers = chunk.isLast() ? chunk.trailers() : null;
            if (trailers != null) {
                if (!chunk.hasRemaining()) {
                    chunk.release();
                    return new Trailers(toFields(trailers));
                }
                pendingTrailers = toFields(trailers);
                return Content.Chunk.from(chunk.data(), false, chunk::release);
            }
            if (chunk.isLast() && !chunk.hasRemaining()) {
                chunk.release();
                return Content.Chunk.EOF;
            }
            return Content.Chunk.from(chunk.data(), chunk.isLast(), chunk::release);
        }

        @Override
        public void demand(Runnable onReady) {
            if (pendingTrailers != null) {
                onReady.run();
            } else {
                body.demand(onReady);
            }
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
        }

        @Override
        public String toString() {
            return "Content.Source[" + body + ']';
        }
    }
}
