package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class LastAtLengthTest {

    /** What reached the sink: each write's byte count and whether it was marked last. */
    private final List<String> writes = new ArrayList<>();
    private final Content.Sink sink = (last, buffer, callback) -> {
        writes.add(buffer.remaining() + (last ? " last" : ""));
        buffer.position(buffer.limit());
        callback.succeeded();
    };

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap("x".repeat(n).getBytes(StandardCharsets.US_ASCII));
    }

    private static String write(Content.Sink sink, boolean last, ByteBuffer buffer) {
        AtomicReference<String> outcome = new AtomicReference<>("pending");
        sink.write(last, buffer, Callback.from(() -> outcome.set("ok"), failure -> outcome.set(failure.getMessage())));
        return outcome.get();
    }

    @Test
    void theWriteThatCompletesTheLengthIsTheLastAndTheEndAfterItIsNotWrittenAgain() {
        Content.Sink out = new ResponseWriter.LastAtLength(sink, 100);

        assertThat(write(out, false, bytes(60))).isEqualTo("ok");
        assertThat(write(out, false, bytes(40))).isEqualTo("ok");
        assertThat(write(out, true, ByteBuffer.allocate(0))).isEqualTo("ok");

        assertThat(writes).containsExactly("60", "40 last");
    }

    @Test
    void aBodyThatEndsShortOfItsLengthEndsWithItsOwnLastWrite() {
        Content.Sink out = new ResponseWriter.LastAtLength(sink, 100);

        write(out, false, bytes(30));
        write(out, true, ByteBuffer.allocate(0));

        assertThat(writes).containsExactly("30", "0 last");
    }

    @Test
    void bytesAfterTheLengthFailTheWriteAndReachNothing() {
        Content.Sink out = new ResponseWriter.LastAtLength(sink, 10);

        write(out, false, bytes(10));
        assertThat(write(out, false, bytes(1))).contains("longer than its Content-Length");

        assertThat(writes).containsExactly("10 last");
    }
}
