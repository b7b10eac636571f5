package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Pool;
import org.junit.jupiter.api.Test;

class LifoPoolTest {

    private final LifoPool<String> pool = new LifoPool<>(3);

    private Pool.Entry<String> idleEntry(String name) {
        Pool.Entry<String> entry = pool.reserve();
        assertThat(entry).isNotNull();
        assertThat(entry.enable(name, false)).isTrue();
        return entry;
    }

    @Test
    void acquireHandsOutTheEntryReleasedLast() {
        idleEntry("a");
        idleEntry("b");
        idleEntry("c");

        Pool.Entry<String> first = pool.acquire();
        Pool.Entry<String> second = pool.acquire();
        assertThat(first.getPooled()).isEqualTo("c");
        assertThat(second.getPooled()).isEqualTo("b");

        assertThat(first.release()).isTrue();
        assertThat(pool.acquire().getPooled()).isEqualTo("c");
        assertThat(second.release()).isTrue();
        // After a spike, the request stream keeps to the top: "a" stays idle for its timeout to close.
        for (int i = 0; i < 5; i++) {
            Pool.Entry<String> entry = pool.acquire();
            assertThat(entry.getPooled()).isEqualTo("b");
            entry.release();
        }
        assertThat(pool.getIdleCount()).isEqualTo(2);
        assertThat(pool.getInUseCount()).isEqualTo(1);
    }

    @Test
    void reserveStopsAtTheMaximumAndAReservedEntryIsNotHandedOut() {
        Pool.Entry<String> reserved = pool.reserve();
        idleEntry("b");
        idleEntry("c");

        assertThat(pool.reserve()).isNull();
        assertThat(pool.size()).isEqualTo(3);
        assertThat(pool.getReservedCount()).isEqualTo(1);
        assertThat(pool.acquire().getPooled()).isEqualTo("c");
        assertThat(pool.acquire().getPooled()).isEqualTo("b");
        assertThat(pool.acquire()).isNull();

        assertThat(reserved.enable("a", true)).isTrue();
        assertThat(reserved.isInUse()).isTrue();
        assertThatThrownBy(() -> reserved.enable("again", false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void releaseIsTrueOnlyForAnEntryInUse() {
        Pool.Entry<String> entry = idleEntry("a");

        assertThat(entry.release()).as("an idle entry").isFalse();
        assertThat(pool.acquire()).isSameAs(entry);
        assertThat(entry.release()).isTrue();
        assertThat(entry.isIdle()).isTrue();
        assertThat(pool.getIdleCount()).isEqualTo(1);
    }

    @Test
    void removeIsTrueTheFirstTimeWhateverTheStateAndFreesRoom() {
        Pool.Entry<String> idle = idleEntry("a");
        idleEntry("b");
        Pool.Entry<String> inUse = pool.acquire();
        Pool.Entry<String> reserved = pool.reserve();
        assertThat(pool.reserve()).isNull();

        assertThat(idle.remove()).isTrue();
        assertThat(idle.remove()).isFalse();
        assertThat(inUse.remove()).isTrue();
        assertThat(inUse.release()).as("released after removal").isFalse();
        assertThat(reserved.remove()).isTrue();
        assertThat(reserved.enable("c", false)).as("enabled after removal").isFalse();

        assertThat(idle.isTerminated()).isTrue();
        assertThat(pool.size()).isZero();
        assertThat(pool.acquire()).as("a removed idle entry is not handed out").isNull();
        assertThat(pool.reserve()).isNotNull();
    }

    @Test
    void terminateGivesEveryEntryBackAndRefusesMore() {
        idleEntry("a");
        idleEntry("b");
        Pool.Entry<String> inUse = pool.acquire();

        List<String> all = new ArrayList<>();
        pool.terminate().forEach(entry -> all.add(entry.getPooled()));

        assertThat(all).containsExactly("a", "b");
        assertThat(pool.isTerminated()).isTrue();
        assertThat(pool.size()).isZero();
        assertThat(pool.acquire()).isNull();
        assertThat(pool.reserve()).isNull();
        assertThat(inUse.release()).isFalse();
        assertThat(inUse.isTerminated()).isTrue();
        assertThat(inUse.remove()).as("the first removal after termination").isTrue();
    }

    @Test
    void entriesPassBetweenThreadsWithoutLossOrDuplicate() throws Exception {
        LifoPool<Integer> shared = new LifoPool<>(8);
        for (int i = 0; i < 8; i++) {
            shared.reserve().enable(i, false);
        }
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        int threads = 4;
        CountDownLatch done = new CountDownLatch(threads);
        java.util.concurrent.atomic.AtomicIntegerArray holders = new java.util.concurrent.atomic.AtomicIntegerArray(8);
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        Pool.Entry<Integer> entry = shared.acquire();
                        if (entry == null) {
                            continue;
                        }
                        int slot = entry.getPooled();
                        if (holders.incrementAndGet(slot) != 1) {
                            problems.add("entry " + slot + " handed out twice");
                        }
                        holders.decrementAndGet(slot);
                        if (!entry.release()) {
                            problems.add("entry " + slot + " not released");
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(problems).isEmpty();
        assertThat(shared.getIdleCount()).isEqualTo(8);
        assertThat(shared.getInUseCount()).isZero();
    }

    @Test
    void aGateCountsEachEntryOnceFromReserveToRemoveOrTerminate() {
        int[] counted = {0};
        int[] allowed = {2};
        LifoPool<String> gated = new LifoPool<>(5, new LifoPool.Gate() {
            @Override
            public boolean enter() {
                if (counted[0] >= allowed[0]) {
                    return false;
                }
                counted[0]++;
                return true;
            }

            @Override
            public void leave() {
                counted[0]--;
            }
        });
        Pool.Entry<String> a = gated.reserve();
        Pool.Entry<String> b = gated.reserve();
        assertThat(gated.reserve()).as("refused by the gate below the pool's own limit").isNull();
        assertThat(counted[0]).isEqualTo(2);
        assertThat(a.enable("a", false)).isTrue();
        assertThat(a.remove()).isTrue();
        assertThat(a.remove()).isFalse();
        assertThat(counted[0]).as("a removed entry leaves the gate once").isEqualTo(1);
        assertThat(gated.reserve()).isNotNull();
        assertThat(counted[0]).isEqualTo(2);
        gated.terminate();
        assertThat(counted[0]).as("every entry leaves on terminate").isZero();
        assertThat(b.remove()).isTrue();
        assertThat(counted[0]).as("removing a terminated entry does not leave twice").isZero();
    }
}
