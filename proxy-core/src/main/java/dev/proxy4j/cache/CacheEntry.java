package dev.proxy4j.cache;

import dev.proxy4j.http.Body;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A stored response: its {@link StoredHead head} and the whole body (read-only; a store never
 * holds part of a body). A store may hand the same entry to many readers at once.
 */
public record CacheEntry(StoredHead head, ByteBuffer body) {

    public CacheEntry {
        Objects.requireNonNull(head, "head");
        body = Objects.requireNonNull(body, "body").asReadOnlyBuffer();
    }

    /** The body's length in bytes. */
    public int length() {
        return body.remaining();
    }

    /** A new body of the stored bytes, for one reader. */
    public Body newBody() {
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return bytes.length == 0 ? Body.empty() : Body.of(bytes);
    }

    /** The bytes from {@code offset}, {@code length} of them, as a body. */
    Body slice(long offset, long length) {
        byte[] bytes = new byte[(int) length];
        ByteBuffer view = body.duplicate();
        view.position(view.position() + (int) offset);
        view.get(bytes);
        return Body.of(bytes);
    }

    /** An estimate of the memory the entry takes: the body, the headers, a fixed overhead. */
    public long weight() {
        long weight = 128L + body.remaining();
        for (var header : head.headers()) {
            weight += 32L + 2L * (header.name().length() + header.value().length());
        }
        return weight;
    }
}
