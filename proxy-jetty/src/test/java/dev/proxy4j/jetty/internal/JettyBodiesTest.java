package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Body;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.io.content.ChunksContentSource;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.Promise;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JettyBodiesTest {

    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();

    @AfterEach
    void noPooledBufferLeaked() {
        owned.forEach(Content.Chunk::release);
        assertThat(pool.getLeaks()).as(pool::dumpLeaks).isEmpty();
    }

    /** What a core reader got. */
    private record Read(String text, @Nullable Headers trailers, @Nullable Throwable failure, List<ByteBuffer> buffers) {
    }

    /** Reads a core body to its end with demand, releasing every chunk. */
    private static Read readAll(Body body) throws Exception {
        CompletableFuture<Read> done = new CompletableFuture<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<ByteBuffer> buffers = new ArrayList<>();
        new Runnable() {
            @Override
            public void run() {
                while (true) {
                    Chunk chunk = body.read();
                    if (chunk == null) {
                        body.demand(this);
                        return;
                    }
                    buffers.add(chunk.data());
                    ByteBuffer data = chunk.data().duplicate();
                    while (data.hasRemaining()) {
                        bytes.write(data.get());
                    }
                    boolean last = chunk.isLast();
                    Read read = new Read(bytes.toString(StandardCharsets.UTF_8), chunk.trailers(), chunk.failure(), buffers);
                    chunk.release();
                    if (last) {
                        done.complete(read);
                        return;
                    }
                }
            }
        }.run();
        return done.get(5, TimeUnit.SECONDS);
    }

    /** Chunks given to a {@link ChunksContentSource}, which retains what it hands out: the test releases its own reference. */
    private final List<Content.Chunk> owned = new ArrayList<>();

    private Content.Source chunks(Content.Chunk... chunks) {
        owned.addAll(List.of(chunks));
        return new ChunksContentSource(List.of(chunks));
    }

    private RetainableByteBuffer pooled(String text) {
        RetainableByteBuffer.Mutable buffer = pool.acquire(64, false);
        buffer.put(text.getBytes(StandardCharsets.UTF_8));
        return buffer;
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A core body over given chunks, always ready; it records how it was failed. */
    private static final class ListBody implements Body {
        final Deque<Chunk> chunks;
        @Nullable Throwable failedWith;

        ListBody(Chunk... chunks) {
            this.chunks = new ArrayDeque<>(List.of(chunks));
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public @Nullable Chunk read() {
            Chunk next = chunks.poll();
            return next != null ? next : failedWith != null ? Chunk.failed(failedWith) : Chunk.end();
        }

        @Override
        public void demand(Runnable onReady) {
            onReady.run();
        }

        @Override
        public void fail(Throwable failure) {
            failedWith = failure;
            chunks.forEach(Chunk::release);
            chunks.clear();
        }
    }

    /** A last chunk with bytes and trailers, which the core factories do not make. */
    private record LastWithTrailers(ByteBuffer data, Headers trailers, Runnable onRelease) implements Chunk {
        @Override
        public boolean isLast() {
            return true;
        }

        @Override
        public void release() {
            onRelease.run();
        }
    }

    @Test
    void fromSourceHandsOnJettyBuffersWithoutCopyingAndReleasesThemWithTheCoreChunk() throws Exception {
        RetainableByteBuffer first = pooled("ab");
        RetainableByteBuffer second = pooled("cd");
        ByteBuffer firstBytes = first.getByteBuffer();
        Content.Source source = chunks(Content.Chunk.from(first, false), Content.Chunk.from(second, true));
        Body body = JettyBodies.fromSource(source);

        Chunk chunk = body.read();
        assertThat(chunk.data()).isSameAs(firstBytes);
        assertThat(pool.getLeaks()).hasSize(2);
        chunk.release();
        Read rest = readAll(body);

        assertThat(rest.text()).isEqualTo("cd");
        assertThat(rest.failure()).isNull();
    }

    @Test
    void aJettyTrailersChunkBecomesALastCoreChunkWithHeaders() throws Exception {
        HttpFields trailers = HttpFields.build().add("Grpc-Status", "0").add("Grpc-Message", "ok");
        Content.Source source = chunks(Content.Chunk.from(pooled("ab"), false), new Trailers(trailers));

        Read read = readAll(JettyBodies.fromSource(source));

        assertThat(read.text()).isEqualTo("ab");
        assertThat(read.trailers()).isEqualTo(Headers.of("Grpc-Status", "0", "Grpc-Message", "ok"));
    }

    @Test
    void trailersFromTheSupplierComeWithTheLastChunk() throws Exception {
        Content.Source source = chunks(Content.Chunk.from(pooled("ab"), true));
        HttpFields trailers = HttpFields.build().add("X-Checksum", "1234");

        Body body = JettyBodies.fromSource(source, 2, () -> trailers);
        Read read = readAll(body);

        assertThat(body.length()).isEqualTo(2);
        assertThat(read.text()).isEqualTo("ab");
        assertThat(read.trailers()).isEqualTo(Headers.of("X-Checksum", "1234"));
    }

    @Test
    void noTrailersFromTheSupplierMeansNone() throws Exception {
        Content.Source source = new ByteBufferContentSource(utf8("ab"));

        Read read = readAll(JettyBodies.fromSource(source, -1, () -> null));

        assertThat(read.text()).isEqualTo("ab");
        assertThat(read.trailers()).isNull();
    }

    @Test
    void aJettyFailureChunkBecomesAFailedCoreChunk() throws Exception {
        IOException reset = new IOException("reset");
        Content.Source source = chunks(Content.Chunk.from(pooled("ab"), false), Content.Chunk.from(reset, true));

        Read read = readAll(JettyBodies.fromSource(source));

        assertThat(read.text()).isEqualTo("ab");
        assertThat(read.failure()).isSameAs(reset);
    }

    @Test
    void aTransientJettyFailureEndsTheCoreBodyAndFailsTheSource() throws Exception {
        IOException idle = new IOException("idle");
        AsyncContent source = new AsyncContent();
        source.write(false, utf8("ab"), Callback.NOOP);
        Body body = JettyBodies.fromSource(source);
        body.read().release();
        source.fail(idle, false);

        Chunk failed = body.read();

        assertThat(failed.failure()).isSameAs(idle);
        assertThat(failed.isLast()).isTrue();
        failed.release();
        Content.Chunk after = source.read();
        assertThat(Content.Chunk.isFailure(after, true)).as("the source failed for good").isTrue();
    }

    @Test
    void readsWithDemandWhileAnotherThreadWrites() throws Exception {
        AsyncContent source = new AsyncContent();
        Body body = JettyBodies.fromSource(source);
        Thread writer = new Thread(() -> {
            try {
                FutureCallback first = new FutureCallback();
                source.write(false, utf8("ab"), first);
                first.get(5, TimeUnit.SECONDS);
                Thread.sleep(10);
                source.write(true, utf8("cd"), Callback.NOOP);
            } catch (Exception e) {
                source.fail(e);
            }
        });

        assertThat(body.read()).isNull();
        writer.start();
        Read read = readAll(body);
        writer.join(5_000);

        assertThat(read.text()).isEqualTo("abcd");
        assertThat(read.failure()).isNull();
    }

    @Test
    void failingTheCoreBodyFailsTheJettySource() {
        AsyncContent source = new AsyncContent();
        IllegalStateException gone = new IllegalStateException("client gone");

        JettyBodies.fromSource(source).fail(gone);

        Content.Chunk chunk = source.read();
        assertThat(chunk.getFailure()).isSameAs(gone);
    }

    @Test
    void toSourceOfAFromSourceBodyIsTheSourceItself() {
        Content.Source source = new ByteBufferContentSource(utf8("ab"));

        assertThat(JettyBodies.toSource(JettyBodies.fromSource(source))).isSameAs(source);
        assertThat(JettyBodies.toSource(JettyBodies.fromSource(source, 2, () -> null)))
                .as("a body with trailers from elsewhere keeps them")
                .isNotSameAs(source);
    }

    @Test
    void toSourceGivesTheCoreBytesAndReleasesEachCoreChunkWithTheJettyChunk() throws Exception {
        RetainableByteBuffer first = pooled("ab");
        RetainableByteBuffer second = pooled("cd");
        ListBody body = new ListBody(Chunk.of(first.getByteBuffer(), false, first::release),
                Chunk.of(second.getByteBuffer(), true, second::release));

        Promise.Completable<String> text = new Promise.Completable<>();
        Content.Source.asString(JettyBodies.toSource(body), StandardCharsets.UTF_8, text);

        assertThat(text.get(5, TimeUnit.SECONDS)).isEqualTo("abcd");
    }

    @Test
    void contentCopyWritesACoreBodyToAJettySink() throws Exception {
        ListBody body = new ListBody(Chunk.of(utf8("ab"), false), Chunk.of(utf8("cd"), false));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        AtomicReference<Boolean> sawLast = new AtomicReference<>(false);
        Content.Sink sink = (last, bytes, callback) -> {
            while (bytes.hasRemaining()) {
                written.write(bytes.get());
            }
            sawLast.set(sawLast.get() || last);
            callback.succeeded();
        };
        FutureCallback copied = new FutureCallback();

        Content.copy(JettyBodies.toSource(body), sink, copied);
        copied.get(5, TimeUnit.SECONDS);

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("abcd");
        assertThat(sawLast.get()).isTrue();
    }

    @Test
    void coreTrailersBecomeAJettyTrailersChunkAfterTheBytes() {
        RetainableByteBuffer bytes = pooled("ab");
        ListBody body = new ListBody(new LastWithTrailers(bytes.getByteBuffer(), Headers.of("Grpc-Status", "0"),
                bytes::release));
        Content.Source source = JettyBodies.toSource(body);

        Content.Chunk data = source.read();
        assertThat(data.isLast()).isFalse();
        assertThat(StandardCharsets.UTF_8.decode(data.getByteBuffer()).toString()).isEqualTo("ab");
        data.release();
        Content.Chunk trailers = source.read();

        assertThat(trailers).isInstanceOf(Trailers.class);
        assertThat(trailers.isLast()).isTrue();
        assertThat(((Trailers) trailers).getTrailers().get("Grpc-Status")).isEqualTo("0");
        trailers.release();
    }

    @Test
    void coreTrailersOnAnEmptyLastChunkAreOneTrailersChunk() {
        ListBody body = new ListBody(Chunk.of(utf8("ab"), false), Chunk.end(Headers.of("Grpc-Status", "0")));
        Content.Source source = JettyBodies.toSource(body);
        source.read().release();

        Content.Chunk trailers = source.read();

        assertThat(trailers).isInstanceOf(Trailers.class);
        assertThat(((Trailers) trailers).getTrailers().get("Grpc-Status")).isEqualTo("0");
    }

    @Test
    void aCoreFailureBecomesALastJettyFailureChunk() {
        IOException reset = new IOException("reset");
        ListBody body = new ListBody(Chunk.of(utf8("ab"), false), Chunk.failed(reset));
        Content.Source source = JettyBodies.toSource(body);
        source.read().release();

        Content.Chunk failed = source.read();

        assertThat(Content.Chunk.isFailure(failed, true)).isTrue();
        assertThat(failed.getFailure()).isSameAs(reset);
    }

    @Test
    void failingTheJettySourceFailsTheCoreBodyWhichReleasesWhatItHeld() {
        RetainableByteBuffer held = pooled("cd");
        ListBody body = new ListBody(Chunk.of(utf8("ab"), false), Chunk.of(held.getByteBuffer(), true, held::release));
        Content.Source source = JettyBodies.toSource(body);
        source.read().release();
        IllegalStateException gone = new IllegalStateException("client gone");

        source.fail(gone);

        assertThat(body.failedWith).isSameAs(gone);
        assertThat(source.read().getFailure()).isSameAs(gone);
    }
}
