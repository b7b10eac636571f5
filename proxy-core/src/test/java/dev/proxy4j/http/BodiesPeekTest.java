package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodiesPeekTest {

    private static BodyPeek await(CompletionStage<BodyPeek> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBodyWithinTheLimitComesBackWholeAsBytesInMemory() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("ab").pause().chunk("cd").last("ef");

        BodyPeek peek = await(Bodies.peek(source, 100));

        assertThat(peek.whole()).isTrue();
        assertThat(peek.utf8()).isEqualTo("abcdef");
        assertThat(peek.body()).isInstanceOf(Body.Bytes.class);
        assertThat(((Body.Bytes) peek.body()).toUtf8()).isEqualTo("abcdef");
        source.assertNoLeaks();
    }

    @Test
    void aLongerBodyIsCopiedOnlyUpToTheLimitAndPassedOnWholeFromItsFirstByte() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("abc").chunk("defgh").pause().chunk("ijk").last("lm");

        BodyPeek peek = await(Bodies.peek(source, 5));

        assertThat(peek.whole()).isFalse();
        assertThat(peek.size()).isEqualTo(5);
        assertThat(peek.utf8()).isEqualTo("abcde");
        // nothing past the chunk that crossed the limit was read ahead
        assertThat(source.chunksHandedOut()).isEqualTo(2);
        Drain.Result rest = Drain.fully(peek.body());
        assertThat(rest.text()).isEqualTo("abcdefghijklm");
        assertThat(rest.failure()).isNull();
        source.assertNoLeaks();
    }

    @Test
    void trailersAndTheSourcesFailureArePassedOnWhereTheyCame() throws Exception {
        TrackingSource withTrailers = TrackingSource.builder().chunk("ab").last("cd", Headers.of("Checksum", "x"));
        BodyPeek peek = await(Bodies.peek(withTrailers, 100));
        Drain.Result drained = Drain.fully(peek.body());
        assertThat(drained.text()).isEqualTo("abcd");
        assertThat(drained.trailers()).isEqualTo(Headers.of("Checksum", "x"));
        withTrailers.assertNoLeaks();

        IllegalStateException broken = new IllegalStateException("client went away");
        TrackingSource failing = TrackingSource.builder().chunk("ab").fail(broken);
        BodyPeek failed = await(Bodies.peek(failing, 100));
        assertThat(failed.utf8()).isEqualTo("ab");
        Drain.Result rest = Drain.fully(failed.body());
        assertThat(rest.text()).isEqualTo("ab");
        assertThat(rest.failure()).isSameAs(broken);
        failing.assertNoLeaks();
    }

    @Test
    void failingThePassedOnBodyReleasesTheHeldChunkAndFailsTheSource() throws Exception {
        TrackingSource source = TrackingSource.builder().chunk("abcdef").last("gh");
        BodyPeek peek = await(Bodies.peek(source, 3));

        IllegalStateException blocked = new IllegalStateException("blocked");
        peek.body().fail(blocked);

        assertThat(source.failedWith()).isSameAs(blocked);
        source.assertNoLeaks();
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> Bodies.peek(Body.empty(), 0)).hasMessage("limit: 0 (expected: > 0)");
    }
}
