package dev.proxy4j.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A test reader: reads a body to its end with demand, releasing every chunk, and tells what it got. */
final class Drain implements Runnable {

    /** What a reader got from a body. */
    record Result(byte[] bytes, @Nullable Headers trailers, @Nullable Throwable failure, int chunks) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Body body;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private int chunks;

    private Drain(Body body) {
        this.body = body;
    }

    /** Reads all of {@code body} and waits (in a test only) up to five seconds for its end. */
    static Result fully(Body body) {
        Drain drain = new Drain(body);
        drain.run();
        try {
            return drain.result.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("body did not end: " + body, e);
        }
    }

    @Override
    public void run() {
        while (true) {
            Chunk chunk = body.read();
            if (chunk == null) {
                body.demand(this);
                return;
            }
            chunks++;
            ByteBuffer data = chunk.data();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.writeBytes(copy);
            boolean last = chunk.isLast();
            Throwable failure = chunk.failure();
            Headers trailers = chunk.trailers();
            chunk.release();
            if (last) {
                result.complete(new Result(bytes.toByteArray(), trailers, failure, chunks));
                return;
            }
        }
    }
}
