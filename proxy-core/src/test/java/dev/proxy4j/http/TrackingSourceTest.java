package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The leak tracker the other body tests rely on: it must catch what they claim it catches. */
class TrackingSourceTest {

    @Test
    void failsForAChunkNeverReleased() {
        TrackingSource source = TrackingSource.of("ab", "cd");

        source.read().release();
        source.read();

        assertThatThrownBy(source::assertNoLeaks)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("chunk #1")
                .hasMessageContaining("released 0 times");
    }

    @Test
    void failsAtOnceForAChunkReleasedTwice() {
        TrackingSource source = TrackingSource.of("ab");
        Chunk chunk = source.read();
        chunk.release();

        assertThatThrownBy(chunk::release).isInstanceOf(AssertionError.class).hasMessageContaining("released twice");
        assertThatThrownBy(source::assertNoLeaks).hasMessageContaining("released 2 times");
    }

    @Test
    void passesWhenEveryChunkIsReleasedOnce() {
        TrackingSource source = TrackingSource.of("ab", "cd");

        Drain.Result result = Drain.fully(source);

        assertThat(result.text()).isEqualTo("abcd");
        source.assertNoLeaks();
    }

    @Test
    void aPauseGivesNullUntilADemandCallbackOnAnotherThread() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().last("cd");
        source.read().release();

        assertThat(source.read()).isNull();
        CompletableFuture<String> callbackThread = new CompletableFuture<>();
        source.demand(() -> callbackThread.complete(Thread.currentThread().getName()));

        assertThat(callbackThread.get(5, TimeUnit.SECONDS)).isEqualTo(TrackingSource.DEMAND_THREAD);
        Chunk last = source.read();
        assertThat(last.isLast()).isTrue();
        last.release();
        source.assertNoLeaks();
    }
}
