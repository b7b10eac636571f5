package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BodiesTeeTest {

    /** Keeps what it is given and how it ended. */
    private static class RecordingSink implements BodySink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> calls = new ArrayList<>();
        @Nullable Headers trailers;
        @Nullable Throwable abortedWith;

        @Override
        public void write(ByteBuffer copy) {
            byte[] array = new byte[copy.remaining()];
            copy.get(array);
            bytes.writeBytes(array);
            calls.add("write " + array.length);
        }

        @Override
        public void complete(@Nullable Headers trailers) {
            this.trailers = trailers;
            calls.add("complete");
        }

        @Override
        public void abort(Throwable cause) {
            abortedWith = cause;
            calls.add("abort");
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private final RecordingSink sink = new RecordingSink();

    @Test
    void givesTheReaderTheChunksUnchangedAndTheSinkACopy() {
        TrackingSource source = TrackingSource.of("abc", "def");

        Drain.Result result = Drain.fully(Bodies.tee(source, sink, 100));

        assertThat(result.text()).isEqualTo("abcdef");
        assertThat(result.chunks()).isEqualTo(2);
        assertThat(sink.text()).isEqualTo("abcdef");
        assertThat(sink.calls).containsExactly("write 3", "write 3", "complete");
        assertThat(sink.trailers).isNull();
        source.assertNoLeaks();
    }

    @Test
    void theSinksCopyDoesNotChangeWhenTheReaderConsumesOrReusesTheChunk() {
        TrackingSource source = TrackingSource.of("abc");
        List<ByteBuffer> kept = new ArrayList<>();
        BodySink keeping = new RecordingSink() {
            @Override
            public void write(ByteBuffer copy) {
                kept.add(copy);
            }
        };
        Body body = Bodies.tee(source, keeping, 100);

        Chunk chunk = body.read();
        chunk.data().put(0, (byte) 'X');
        chunk.release();

        assertThat(StandardCharsets.UTF_8.decode(kept.get(0)).toString()).isEqualTo("abc");
        source.assertNoLeaks();
    }

    @Test
    void completesTheSinkWithTheTrailers() {
        Headers trailers = Headers.of("Grpc-Status", "0");
        TrackingSource source = TrackingSource.builder().chunk("abc").end(trailers);

        Drain.Result result = Drain.fully(Bodies.tee(source, sink, 100));

        assertThat(result.trailers()).isEqualTo(trailers);
        assertThat(sink.trailers).isEqualTo(trailers);
        assertThat(sink.calls).containsExactly("write 3", "complete");
        source.assertNoLeaks();
    }

    @Test
    void aBodyOfExactlyTheLimitCompletesTheSink() {
        TrackingSource source = TrackingSource.of("abc", "def");

        Drain.fully(Bodies.tee(source, sink, 6));

        assertThat(sink.calls).containsExactly("write 3", "write 3", "complete");
        source.assertNoLeaks();
    }

    @Test
    void oneByteOverTheLimitAbortsTheSinkWhileTheReaderGetsTheWholeBody() {
        TrackingSource source = TrackingSource.builder().chunk("abc").pause().chunk("def").last("g");

        Drain.Result result = Drain.fully(Bodies.tee(source, sink, 5));

        assertThat(result.text()).isEqualTo("abcdefg");
        assertThat(result.failure()).isNull();
        assertThat(sink.calls).containsExactly("write 3", "abort");
        assertThat(sink.abortedWith)
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessage("body: more than 5 bytes (expected: at most 5)");
        assertThat(source.failedWith()).isNull();
        source.assertNoLeaks();
    }

    @Test
    void theReaderFailingTheBodyAbortsTheSinkAndFailsTheSource() {
        TrackingSource source = TrackingSource.of("abc", "def");
        Body body = Bodies.tee(source, sink, 100);
        body.read().release();
        IllegalStateException gone = new IllegalStateException("client gone");

        body.fail(gone);

        assertThat(sink.calls).containsExactly("write 3", "abort");
        assertThat(sink.abortedWith).isSameAs(gone);
        assertThat(source.failedWith()).isSameAs(gone);
        source.assertNoLeaks();
    }

    @Test
    void aSourceFailureMidStreamAbortsTheSinkAndReachesTheReader() {
        IOException reset = new IOException("reset");
        TrackingSource source = TrackingSource.builder().chunk("abc").pause().fail(reset);

        Drain.Result result = Drain.fully(Bodies.tee(source, sink, 100));

        assertThat(result.failure()).isSameAs(reset);
        assertThat(sink.calls).containsExactly("write 3", "abort");
        assertThat(sink.abortedWith).isSameAs(reset);
        source.assertNoLeaks();
    }

    @Test
    void aSinkThatThrowsIsAbortedWithWhatItThrewAndTheReaderCarriesOn() {
        IllegalStateException full = new IllegalStateException("store full");
        RecordingSink throwing = new RecordingSink() {
            @Override
            public void write(ByteBuffer copy) {
                super.write(copy);
                throw full;
            }
        };
        TrackingSource source = TrackingSource.of("abc", "def");

        Drain.Result result = Drain.fully(Bodies.tee(source, throwing, 100));

        assertThat(result.text()).isEqualTo("abcdef");
        assertThat(throwing.calls).containsExactly("write 3", "abort");
        assertThat(throwing.abortedWith).isSameAs(full);
        source.assertNoLeaks();
    }

    @Test
    void aFailureAfterTheLastChunkLeavesTheCompletedSinkAlone() {
        TrackingSource source = TrackingSource.of("abc");
        Body body = Bodies.tee(source, sink, 100);
        Drain.fully(body);

        body.fail(new IllegalStateException("late"));

        assertThat(sink.calls).containsExactly("write 3", "complete");
        source.assertNoLeaks();
    }

    @Test
    void keepsTheSourcesLength() {
        TrackingSource source = TrackingSource.builder().length(3).last("abc");

        Body body = Bodies.tee(source, sink, 100);

        assertThat(body.length()).isEqualTo(3);
        Drain.fully(body);
        source.assertNoLeaks();
    }

    @Test
    void rejectsANegativeLimit() {
        TrackingSource source = TrackingSource.of("abc");

        assertThatThrownBy(() -> Bodies.tee(source, sink, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit: -1 (expected: >= 0)");
        source.assertNoLeaks();
    }
}
