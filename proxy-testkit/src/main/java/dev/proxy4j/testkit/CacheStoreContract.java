package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.CacheEntry;
import dev.proxy4j.cache.CacheStore;
import dev.proxy4j.cache.StoredHead;
import dev.proxy4j.http.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CacheStore} must do. Extend it and implement {@link #newStore(long, long)}:
 *
 * <pre>{@code
 * class RedisCacheStoreContractTest extends CacheStoreContract {
 *     @Override
 *     protected CacheStore newStore(long maxBytes, long maxObjectBytes) {
 *         return RedisCacheStore.connect(redisUri, maxObjectBytes);
 *     }
 * }
 * }</pre>
 *
 * <p>It covers get, put, remove, and streamed writes that are visible whole once committed and not at
 * all before, nor when aborted, nor when larger than the largest object; the store's bounds when it has
 * them. Stages are awaited with a timeout, on the test's thread (never on a loop).
 *
 * <p>The class and its tests are public because subclasses live in other packages.
 */
public abstract class CacheStoreContract {

    /** The store's size and its largest object, for the contract: 1 MiB and 16 KiB. */
    protected static final long MAX_BYTES = 1024 * 1024;
    protected static final long MAX_OBJECT_BYTES = 16 * 1024;

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private CacheStore store;

    /** A new, empty store of at most {@code maxBytes}, whose largest body is {@code maxObjectBytes}. */
    protected abstract CacheStore newStore(long maxBytes, long maxObjectBytes);

    /** How long a stage may take; remote stores may want more. */
    protected Duration timeout() {
        return Duration.ofSeconds(5);
    }

    @BeforeEach
    void makeStore() {
        store = newStore(MAX_BYTES, MAX_OBJECT_BYTES);
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the store's stage did not complete well", e);
        }
    }

    private static StoredHead head(String version) {
        return new StoredHead(200, Headers.of("ETag", '"' + version + '"', "Cache-Control", "max-age=60"), T0,
                T0.plusMillis(5));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(CacheEntry entry) {
        ByteBuffer body = entry.body().duplicate();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    public void aMissingKeyIsEmpty() {
        assertThat(await(store.get("nothing"))).isEmpty();
        assertThat(await(store.remove("nothing"))).isFalse();
    }

    @Test
    public void aPutEntryIsReadBackWithItsHeadAndBody() {
        await(store.put("k", new CacheEntry(head("1"), bytes("hello"))));

        CacheEntry entry = await(store.get("k")).orElseThrow();

        assertThat(entry.head()).isEqualTo(head("1"));
        assertThat(text(entry)).isEqualTo("hello");
    }

    @Test
    public void aPutReplacesAndARemoveRemoves() {
        await(store.put("k", new CacheEntry(head("1"), bytes("one"))));
        await(store.put("k", new CacheEntry(head("2"), bytes("two"))));

        assertThat(text(await(store.get("k")).orElseThrow())).isEqualTo("two");
        assertThat(await(store.remove("k"))).isTrue();
        assertThat(await(store.get("k"))).isEmpty();
    }

    @Test
    public void anEntryReadTwiceGivesTheWholeBodyEachTime() {
        await(store.put("k", new CacheEntry(head("1"), bytes("again"))));
        CacheEntry entry = await(store.get("k")).orElseThrow();

        assertThat(text(entry)).isEqualTo("again");
        assertThat(text(entry)).isEqualTo("again");
        assertThat(entry.newBody().length()).isEqualTo(5);
    }

    @Test
    public void aStreamedWriteIsVisibleOnlyOnceCommittedAndThenWhole() {
        await(store.put("k", new CacheEntry(head("old"), bytes("old"))));
        CacheStore.Writer writer = store.open("k", head("new"));

        assertThat(writer.write(bytes("hel"))).isTrue();
        assertThat(text(await(store.get("k")).orElseThrow())).as("before commit: the old entry").isEqualTo("old");
        assertThat(writer.write(bytes("lo"))).isTrue();
        assertThat(await(writer.commit())).isTrue();

        CacheEntry entry = await(store.get("k")).orElseThrow();
        assertThat(text(entry)).isEqualTo("hello");
        assertThat(entry.head()).isEqualTo(head("new"));
    }

    @Test
    public void anAbortedWriteLeavesTheStoreAsItWas() {
        CacheStore.Writer writer = store.open("k", head("1"));
        writer.write(bytes("part"));
        writer.abort();

        assertThat(await(store.get("k"))).isEmpty();
    }

    @Test
    public void aBodyPastTheLargestObjectIsRefusedAsItStreamsAndNotStored() {
        CacheStore.Writer writer = store.open("big", head("1"));
        boolean accepted = true;
        for (int i = 0; i < 40 && accepted; i++) {
            accepted = writer.write(ByteBuffer.allocate(1024));
        }

        assertThat(accepted).as("the writer gives up past the largest object").isFalse();
        assertThat(await(writer.commit())).isFalse();
        assertThat(await(store.get("big"))).isEmpty();
    }

    @Test
    public void anEmptyBodyIsStored() {
        CacheStore.Writer writer = store.open("empty", new StoredHead(204, Headers.empty(), T0, T0));

        assertThat(await(writer.commit())).isTrue();
        assertThat(await(store.get("empty")).orElseThrow().length()).isZero();
    }

    @Test
    public void theStoreStaysWithinItsBoundsWhenFilledPastThem() {
        ByteBuffer eightKib = ByteBuffer.allocate(8 * 1024);
        for (int i = 0; i < 400; i++) {
            await(store.put("k" + i, new CacheEntry(head("1"), eightKib.duplicate())));
        }
        settle();

        Optional<CacheStore.Bounds> bounds = store.bounds();
        bounds.ifPresent(b -> {
            assertThat(b.maxBytes()).isEqualTo(MAX_BYTES);
            assertThat(b.currentBytes()).isLessThanOrEqualTo(MAX_BYTES);
        });
        long kept = 0;
        for (int i = 0; i < 400; i++) {
            kept += await(store.get("k" + i)).isPresent() ? 1 : 0;
        }
        assertThat(kept * 8 * 1024).as("bytes kept").isLessThanOrEqualTo(MAX_BYTES);
        assertThat(kept).as("it keeps something").isPositive();
    }

    /** Lets the store finish pending evictions before its size is read; nothing by default. */
    protected void settle() {
    }
}
