package dev.proxy4j.cache;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a cache keeps responses: asynchronous, so that a remote store fits as well as memory. Every
 * method returns at once without blocking; the stages may complete on any thread (the cache brings the
 * request back to its loop).
 *
 * <p>A body is written as a stream ({@link #open(String, StoredHead)}) and becomes visible only when
 * the whole of it is {@link Writer#commit() committed}: a reader sees the old entry or the new one,
 * never part of one. An implementation bounds what it holds and says how in {@link #bounds()}.
 * {@code CacheStoreContract} in proxy-testkit is the test every implementation should pass.
 */
public interface CacheStore {

    /** The entry under {@code key}, or empty. */
    CompletionStage<Optional<CacheEntry>> get(String key);

    /** Stores a whole entry (a small one: a Vary index, headers updated by a 304), replacing any. */
    CompletionStage<Void> put(String key, CacheEntry entry);

    /** Removes the entry under {@code key}; the stage says whether there was one. */
    CompletionStage<Boolean> remove(String key);

    /**
     * Starts writing an entry whose body comes in pieces. Nothing is visible until
     * {@link Writer#commit()}; an aborted or abandoned writer leaves the store as it was.
     */
    Writer open(String key, StoredHead head);

    /** Hit, miss and eviction counts, when the store keeps them. */
    default Optional<Stats> stats() {
        return Optional.empty();
    }

    /** The store's limits and its current size, when it has them. */
    default Optional<Bounds> bounds() {
        return Optional.empty();
    }

    /** A body being written: {@link #write} any number of times, then {@link #commit} or {@link #abort}, once. */
    interface Writer {

        /**
         * The next bytes (the writer owns the buffer). False when the writer gave up (the body is larger
         * than the store takes): then nothing will be stored, and the caller stops writing.
         */
        boolean write(ByteBuffer bytes);

        /** The body is whole: the entry replaces any under its key. The stage says whether it was stored. */
        CompletionStage<Boolean> commit();

        /** Nothing of this entry is stored; what it buffered is dropped. */
        void abort();
    }

    /** Counts since the store was made. */
    record Stats(long hits, long misses, long evictions) {
    }

    /**
     * {@code maxBytes}: the most the store holds (weighed as it weighs entries); {@code maxObjectBytes}: the
     * largest body it stores; {@code currentBytes}: what it holds now (an estimate).
     */
    record Bounds(long maxBytes, long maxObjectBytes, long currentBytes) {
    }
}
