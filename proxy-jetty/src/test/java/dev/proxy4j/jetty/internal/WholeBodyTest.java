package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.Test;

/**
 * A body already whole is written in one write and its end of stream read after it; anything
 * else takes the general copy. Every chunk read is released, whatever happens.
 */
class WholeBodyTest {

    /** What the sink was given, as "last:text" per write; fails writes once told to. */
    private final List<String> writes = new ArrayList<>();
    private IOException failWrites;
    private final Content.Sink recording = (last, buffer, callback) -> {
        writes.add(last + ":" + StandardCharsets.UTF_8.decode(buffer.slice()));
        if (failWrites != null) {
            callback.failed(failWrites);
        } else {
            callback.succeeded();
        }
    };

    /** A source whose chunks' write callbacks complete when the chunk is released. */
    private final AsyncContent source = new AsyncContent();

    private FutureCallback offer(boolean last, String text) {
        FutureCallback released = new FutureCallback();
        source.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), released);
        return released;
    }

    @Test
    void aWholeBodyOfKnownLengthIsOneLastWriteAndItsEndOfStreamIsRead() {
        FutureCallback body = offer(false, "hello");
        FutureCallback end = offer(true, "");
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, new ResponseWriter.LastAtLength(recording, 5), 5, done);

        assertThat(writes).containsExactly("true:hello");
        assertThat(done.isDone()).isTrue();
        assertThat(done.isFailed()).isFalse();
        assertThat(body.isDone()).as("body chunk released").isTrue();
        assertThat(end.isDone()).as("end of stream read").isTrue();
    }

    @Test
    void aBodyWhoseEndOfStreamIsNotYetThereFinishesWhenItComes() {
        FutureCallback body = offer(false, "hello");
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, new ResponseWriter.LastAtLength(recording, 5), 5, done);

        assertThat(writes).containsExactly("true:hello");
        assertThat(body.isDone()).isTrue();
        assertThat(done.isDone()).as("waits for the end of stream").isFalse();
        offer(true, "");
        assertThat(done.isDone()).isTrue();
        assertThat(done.isFailed()).isFalse();
        assertThat(writes).as("the response ended with the body's last bytes; nothing more is written")
                .containsExactly("true:hello");
    }

    @Test
    void aBodyLongerThanItsLengthFails() {
        offer(false, "hello");
        FutureCallback extra = offer(true, "!");
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, new ResponseWriter.LastAtLength(recording, 5), 5, done);

        assertThat(done.isFailed()).isTrue();
        assertThat(failure(done)).hasMessage("a body longer than its Content-Length");
        assertThat(extra.isDone()).as("the extra chunk released").isTrue();
    }

    @Test
    void aBodyInPartsGoesThroughTheGeneralCopy() {
        FutureCallback one = offer(false, "hel");
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, new ResponseWriter.LastAtLength(recording, 5), 5, done);
        assertThat(done.isDone()).isFalse();
        FutureCallback two = offer(false, "lo");
        offer(true, "");

        assertThat(writes).containsExactly("false:hel", "true:lo");
        assertThat(done.isDone()).isTrue();
        assertThat(done.isFailed()).isFalse();
        assertThat(one.isDone() && two.isDone()).as("both released").isTrue();
    }

    @Test
    void nothingReadYetWaitsForTheBody() {
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, recording, -1, done);
        assertThat(writes).isEmpty();
        offer(false, "chunked");
        offer(true, "");

        assertThat(writes).containsExactly("false:chunked", "true:");
        assertThat(done.isDone()).isTrue();
        assertThat(done.isFailed()).isFalse();
    }

    @Test
    void aFailedWriteReleasesTheChunkAndFailsTheCopy() {
        FutureCallback body = offer(false, "hello");
        failWrites = new IOException("client gone");
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, new ResponseWriter.LastAtLength(recording, 5), 5, done);

        assertThat(failure(done)).hasMessage("client gone");
        assertThat(body.isDone()).as("released").isTrue();
    }

    @Test
    void aFailedSourceFailsTheCopy() {
        source.fail(new IOException("backend cut"));
        FutureCallback done = new FutureCallback();

        WholeBody.copy(source, recording, 5, done);

        assertThat(failure(done)).hasMessage("backend cut");
        assertThat(writes).isEmpty();
    }

    private static Throwable failure(FutureCallback callback) {
        try {
            callback.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("not failed: " + callback);
    }
}
