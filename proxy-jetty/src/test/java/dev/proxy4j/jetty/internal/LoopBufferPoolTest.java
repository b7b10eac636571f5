package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

/** The buffers an event loop keeps in front of Jetty's pool ({@link LoopBufferPool}). */
class LoopBufferPoolTest {

    private final ArrayByteBufferPool.Tracking jetty = new ArrayByteBufferPool.Tracking();
    private final LoopBufferPool pool = new LoopBufferPool(jetty);

    @Test
    void aLoopGetsBackTheBufferItReleasedWithoutJettysPool() {
        pool.adopt();
        RetainableByteBuffer.Mutable first = pool.acquire(5000, true);
        assertThat(first.capacity()).isGreaterThanOrEqualTo(5000);
        assertThat(first.isDirect()).isTrue();
        assertThat(first.append(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isTrue();
        assertThat(first.remaining()).isEqualTo(3);
        assertThat(first.release()).isTrue();
        assertThat(pool.keptByThisThread()).isEqualTo(1);

        RetainableByteBuffer.Mutable again = pool.acquire(6000, true);
        assertThat(again).isSameAs(first);
        assertThat(again.remaining()).as("taken again empty").isZero();
        assertThat(pool.acquire(6000, false)).as("heap and direct are kept apart").isNotSameAs(first);
        assertThat(jetty.getLeaks()).as("the kept buffer is still Jetty's, taken").hasSize(2);
    }

    @Test
    void aRetainedOrSlicedBufferIsKeptOnlyAtItsLastRelease() {
        pool.adopt();
        RetainableByteBuffer.Mutable buffer = pool.acquire(4096, true);
        buffer.retain();
        RetainableByteBuffer slice = buffer.slice();
        assertThat(buffer.release()).isFalse();
        assertThat(buffer.release()).isFalse();
        assertThat(pool.keptByThisThread()).isZero();
        assertThat(slice.release()).isTrue();
        assertThat(pool.keptByThisThread()).isEqualTo(1);
        assertThatThrownBy(buffer::release).as("released once too often").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overTheLimitBuffersGoBackToJettysPoolAndCloseGivesBackTheRest() {
        pool.adopt();
        List<RetainableByteBuffer.Mutable> taken = new ArrayList<>();
        for (int i = 0; i < LoopBufferPool.KEPT + 5; i++) {
            taken.add(pool.acquire(16384, true));
        }
        taken.forEach(RetainableByteBuffer::release);
        assertThat(pool.keptByThisThread()).isEqualTo(LoopBufferPool.KEPT);
        assertThat(jetty.getLeaks()).hasSize(LoopBufferPool.KEPT);

        pool.releaseKept(Thread.currentThread());
        assertThat(jetty.getLeaks()).isEmpty();
        // Closed: this thread now uses Jetty's pool directly.
        RetainableByteBuffer.Mutable after = pool.acquire(16384, true);
        after.release();
        assertThat(pool.keptByThisThread()).isZero();
        assertThat(jetty.getLeaks()).isEmpty();
    }

    @Test
    void aBufferReleasedOnAnotherThreadComesBackToItsLoop() throws Exception {
        pool.adopt();
        RetainableByteBuffer.Mutable buffer = pool.acquire(8192, true);
        Thread other = new Thread(buffer::release);
        other.start();
        other.join(10_000);
        assertThat(pool.keptByThisThread()).isZero();
        assertThat(pool.acquire(8192, true)).as("taken back from the queue on the next miss").isSameAs(buffer);
    }

    @Test
    void aThreadNotAdoptedAndLargeBuffersUseJettysPool() {
        RetainableByteBuffer.Mutable notALoop = pool.acquire(4096, true);
        notALoop.release();
        assertThat(pool.keptByThisThread()).isZero();
        pool.adopt();
        RetainableByteBuffer.Mutable large = pool.acquire(200_000, true);
        assertThat(large.capacity()).isGreaterThanOrEqualTo(200_000);
        large.release();
        assertThat(pool.keptByThisThread()).isZero();
        assertThat(jetty.getLeaks()).isEmpty();
    }
}
