package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BodiesAggregateTest {

    private static Body.Bytes await(CompletionStage<Body.Bytes> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletionStage<Body.Bytes> stage) {
        CompletableFuture<Body.Bytes> future = stage.toCompletableFuture();
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return future.handle((bytes, failure) -> failure).join();
    }

    @Test
    void collectsEveryChunkAcrossPausesWithoutBusyWaiting() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().chunk("cd").pause().last("ef");

        Body.Bytes body = await(Bodies.aggregate(source, 100));

        assertThat(body.toUtf8()).isEqualTo("abcdef");
        assertThat(source.demands()).isEqualTo(2);
        assertThat(source.nullReads()).isEqualTo(2);
        source.assertNoLeaks();
    }

    @Test
    void completesOnTheThreadThatGaveTheLastChunk() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().last("cd");
        // Until the stage below is attached, the demand thread may not deliver the last chunk.
        Runnable release = TrackingSource.holdDemands();

        CompletableFuture<String> thread = Bodies.aggregate(source, 100)
                .thenApply(bytes -> Thread.currentThread().getName())
                .toCompletableFuture();
        release.run();

        assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo(TrackingSource.DEMAND_THREAD);
        source.assertNoLeaks();
    }

    @Test
    void aBodyOfExactlyTheLimitCompletes() throws Exception {
        TrackingSource source = TrackingSource.of("abc", "def");

        assertThat(await(Bodies.aggregate(source, 6)).toUtf8()).isEqualTo("abcdef");
        assertThat(source.failedWith()).isNull();
        source.assertNoLeaks();
    }

    @Test
    void oneByteOverTheLimitFailsTheSourceAndTheStageWithBodyTooLarge() {
        TrackingSource source = TrackingSource.builder().chunk("abc").pause().chunk("def").last("g");

        Throwable failure = failureOf(Bodies.aggregate(source, 6));

        assertThat(failure)
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessage("body: more than 6 bytes (expected: at most 6)");
        assertThat(((BodyTooLargeException) failure).limit()).isEqualTo(6);
        assertThat(source.failedWith()).isSameAs(failure);
        source.assertNoLeaks();
    }

    @Test
    void aDeclaredLengthOverTheLimitFailsBeforeReadingAByte() {
        TrackingSource source = TrackingSource.builder().length(1_048_577).last("abc");

        Throwable failure = failureOf(Bodies.aggregate(source, 1_048_576));

        assertThat(failure).hasMessage("body: more than 1048576 bytes (expected: at most 1048576)");
        assertThat(source.chunksHandedOut()).isZero();
        assertThat(source.failedWith()).isSameAs(failure);
        source.assertNoLeaks();
    }

    @Test
    void aSourceFailureMidStreamFailsTheStage() {
        IOException reset = new IOException("reset");
        TrackingSource source = TrackingSource.builder().chunk("abc").pause().fail(reset);

        assertThat(failureOf(Bodies.aggregate(source, 100))).isSameAs(reset);
        source.assertNoLeaks();
    }

    @Test
    void anEmptyBodyGivesNoBytes() throws Exception {
        TrackingSource source = TrackingSource.builder().end();

        Body.Bytes body = await(Bodies.aggregate(source, 0));

        assertThat(body.length()).isZero();
        source.assertNoLeaks();
    }

    @Test
    void theResultCanBePassedOnAsABody() throws Exception {
        TrackingSource source = TrackingSource.of("ab", "cd");

        Body.Bytes body = await(Bodies.aggregate(source, 100));

        assertThat(body.length()).isEqualTo(4);
        assertThat(Drain.fully(body).text()).isEqualTo("abcd");
        source.assertNoLeaks();
    }

    @Test
    void aSourceThatCallsBackAtOnceDoesNotGrowTheStack() throws Exception {
        int bytes = 200_000;
        Body flickering = new Body() {
            private int given;
            private boolean ready;

            @Override
            public long length() {
                return -1;
            }

            @Override
            public @Nullable Chunk read() {
                if (!ready) {
                    return null;
                }
                ready = false;
                given++;
                return Chunk.of(ByteBuffer.wrap(new byte[] {'x'}), given == bytes);
            }

            @Override
            public void demand(Runnable onReady) {
                ready = true;
                onReady.run();
            }

            @Override
            public void fail(Throwable failure) {
                throw new AssertionError("failed", failure);
            }
        };

        assertThat(await(Bodies.aggregate(flickering, bytes)).length()).isEqualTo(bytes);
    }

    @Test
    void rejectsANegativeLimit() {
        TrackingSource source = TrackingSource.of("abc");

        assertThatThrownBy(() -> Bodies.aggregate(source, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit: -1 (expected: >= 0)");
        source.assertNoLeaks();
    }

    @Test
    void aReadThatThrowsFailsTheSourceAndTheStage() {
        IllegalStateException broken = new IllegalStateException("broken");
        TrackingSource source = TrackingSource.of("abc");
        Body throwing = new Body() {
            @Override
            public long length() {
                return -1;
            }

            @Override
            public @Nullable Chunk read() {
                throw broken;
            }

            @Override
            public void demand(Runnable onReady) {
                onReady.run();
            }

            @Override
            public void fail(Throwable failure) {
                source.fail(failure);
            }
        };

        assertThat(failureOf(Bodies.aggregate(throwing, 100))).isSameAs(broken);
        assertThat(source.failedWith()).isSameAs(broken);
        source.read().release();
        source.assertNoLeaks();
    }
}
