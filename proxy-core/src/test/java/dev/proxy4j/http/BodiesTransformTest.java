package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class BodiesTransformTest {

    /** Upper-cases ASCII into a new buffer: one output byte per input byte. */
    private static final class Upper implements ChunkTransformer {
        int closes;

        @Override
        public ByteBuffer apply(ByteBuffer in, boolean last) {
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            return ByteBuffer.wrap(new String(bytes, StandardCharsets.US_ASCII)
                    .toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public boolean keepsLength() {
            return true;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    /** A gzip compressor that keeps everything until the last chunk, as a real one may for small bodies. */
    private static final class Gzip implements ChunkTransformer {
        private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        private final CRC32 crc = new CRC32();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private boolean headerWritten;
        int closes;

        @Override
        public ByteBuffer apply(ByteBuffer in, boolean last) {
            if (!headerWritten) {
                out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
                headerWritten = true;
            }
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            crc.update(bytes);
            deflater.setInput(bytes);
            if (last) {
                deflater.finish();
            }
            byte[] buffer = new byte[8192];
            int count;
            while ((count = deflater.deflate(buffer)) > 0) {
                out.write(buffer, 0, count);
            }
            if (!last) {
                return ByteBuffer.allocate(0);
            }
            ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue()).putInt((int) deflater.getBytesRead());
            out.write(trailer.array(), 0, 8);
            return ByteBuffer.wrap(out.toByteArray());
        }

        @Override
        public void close() {
            closes++;
            deflater.end();
        }
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void transformsEachChunkInOrder() {
        TrackingSource source = TrackingSource.of("ab", "cd", "ef");
        Upper upper = new Upper();

        Drain.Result result = Drain.fully(Bodies.transform(source, upper));

        assertThat(result.text()).isEqualTo("ABCDEF");
        assertThat(result.chunks()).isEqualTo(3);
        assertThat(upper.closes).isOne();
        source.assertNoLeaks();
    }

    @Test
    void releasesTheSourceChunkWhenTheReaderReleasesTheTransformedOne() {
        TrackingSource source = TrackingSource.of("ab", "cd");
        Body body = Bodies.transform(source, new Upper());

        Chunk first = body.read();

        assertThat(source.unreleased()).isOne();
        first.release();
        assertThat(source.unreleased()).isZero();
        Drain.fully(body);
        source.assertNoLeaks();
    }

    @Test
    void waitsForDemandWhenTheSourceHasNothingReady() {
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().chunk("cd").pause().last("ef");
        Body body = Bodies.transform(source, new Upper());

        Drain.Result result = Drain.fully(body);

        assertThat(result.text()).isEqualTo("ABCDEF");
        assertThat(source.demands()).isEqualTo(2);
        source.assertNoLeaks();
    }

    @Test
    void aCompressorMayEmitNothingUntilTheLastChunk() {
        TrackingSource source = TrackingSource.builder().chunk("hello ").pause().chunk("hello ").last("hello");
        Gzip gzip = new Gzip();

        Drain.Result result = Drain.fully(Bodies.transform(source, gzip));

        assertThat(result.chunks()).as("chunks the reader got").isOne();
        assertThat(gunzip(result.bytes())).isEqualTo("hello hello hello");
        assertThat(gzip.closes).isOne();
        source.assertNoLeaks();
    }

    @Test
    void lengthIsUnknownUnlessTheTransformerKeepsLengths() {
        TrackingSource kept = TrackingSource.builder().length(4).chunk("ab").last("cd");
        TrackingSource changed = TrackingSource.builder().length(4).chunk("ab").last("cd");

        assertThat(Bodies.transform(kept, new Upper()).length()).isEqualTo(4);
        assertThat(Bodies.transform(changed, new Gzip()).length()).isEqualTo(-1);
        kept.assertNoLeaks();
        changed.assertNoLeaks();
    }

    @Test
    void passesTrailersOnTheLastChunk() {
        Headers trailers = Headers.of("Grpc-Status", "0");
        TrackingSource withBytes = TrackingSource.builder().chunk("ab").last("cd", trailers);
        TrackingSource empty = TrackingSource.builder().chunk("ab").end(trailers);

        Drain.Result fromBytes = Drain.fully(Bodies.transform(withBytes, new Upper()));
        Drain.Result fromEmpty = Drain.fully(Bodies.transform(empty, new Upper()));

        assertThat(fromBytes.text()).isEqualTo("ABCD");
        assertThat(fromBytes.trailers()).isEqualTo(trailers);
        assertThat(fromEmpty.text()).isEqualTo("AB");
        assertThat(fromEmpty.trailers()).isEqualTo(trailers);
        withBytes.assertNoLeaks();
        empty.assertNoLeaks();
    }

    @Test
    void aSourceFailureMidStreamReachesTheReaderAndClosesTheTransformer() {
        IOException reset = new IOException("reset");
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().fail(reset);
        Upper upper = new Upper();

        Drain.Result result = Drain.fully(Bodies.transform(source, upper));

        assertThat(result.text()).isEqualTo("AB");
        assertThat(result.failure()).isSameAs(reset);
        assertThat(upper.closes).isOne();
        source.assertNoLeaks();
    }

    @Test
    void aTransformerThatThrowsFailsTheSourceAndTheReader() {
        TrackingSource source = TrackingSource.of("ab", "cd");
        IllegalStateException broken = new IllegalStateException("broken");
        List<Boolean> lasts = new ArrayList<>();
        Body body = Bodies.transform(source, (in, last) -> {
            lasts.add(last);
            if (lasts.size() == 2) {
                throw broken;
            }
            return in;
        });

        Drain.Result result = Drain.fully(body);

        assertThat(result.text()).isEqualTo("ab");
        assertThat(result.failure()).isSameAs(broken);
        assertThat(source.failedWith()).isSameAs(broken);
        Chunk again = body.read();
        assertThat(again.failure()).isSameAs(broken);
        again.release();
        source.assertNoLeaks();
    }

    @Test
    void aTransformerMayHandBackTheSourceBytesThemselves() {
        TrackingSource source = TrackingSource.of("ab", "cd");

        Drain.Result result = Drain.fully(Bodies.transform(source, (in, last) -> in));

        assertThat(result.text()).isEqualTo("abcd");
        source.assertNoLeaks();
    }

    @Test
    void failingTheBodyFailsTheSourceClosesTheTransformerAndLaterReadsGiveTheFailure() {
        TrackingSource source = TrackingSource.of("ab", "cd");
        Upper upper = new Upper();
        Body body = Bodies.transform(source, upper);
        body.read().release();
        IllegalStateException gone = new IllegalStateException("client gone");

        body.fail(gone);

        assertThat(source.failedWith()).isSameAs(gone);
        assertThat(upper.closes).isOne();
        Chunk after = body.read();
        assertThat(after.failure()).isSameAs(gone);
        assertThat(after.isLast()).isTrue();
        after.release();
        source.assertNoLeaks();
    }

    @Test
    void readsAfterTheEndGiveTheEndAgain() {
        TrackingSource source = TrackingSource.of("ab");
        Body body = Bodies.transform(source, new Upper());
        Drain.fully(body);

        Chunk again = body.read();

        assertThat(again.isLast()).isTrue();
        assertThat(again.hasRemaining()).isFalse();
        assertThat(again.failure()).isNull();
        again.release();
        source.assertNoLeaks();
    }
}
