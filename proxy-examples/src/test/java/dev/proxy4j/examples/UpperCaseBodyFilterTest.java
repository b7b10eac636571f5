package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.BodyTooLargeException;
import dev.proxy4j.http.Chunk;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.testkit.TrackingBody;
import dev.proxy4j.upstream.UpstreamFailure;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ownership in {@link UpperCaseBodyExample}'s filter, without a server: every chunk of the backend's
 * body is released, and a body the filter drops is failed by it.
 */
class UpperCaseBodyFilterTest {

    private static final EventLoop CALLER = new EventLoop() {
        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException("no timer in this test");
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    private final RequestContext ctx = RequestContext.builder().eventLoop(CALLER).blockingExecutor(Runnable::run).build();

    @Test
    void releasesEveryChunkOfTheBackendsBodyAcrossPauses() throws Exception {
        TrackingBody backend = TrackingBody.builder().chunk("abc ").pause().chunk("déf ").pause().last("ghi");

        Body out = filter(12, text(backend)).body();                       // é is two bytes: 12 in all

        assertThat(readAll(out)).isEqualTo("ABC DéF GHI");
        backend.assertNoLeaks();
        assertThat(backend.failedWith()).isNull();
    }

    @Test
    void failsTheBackendsBodyOnceItGoesOverTheLimit() throws Exception {
        TrackingBody backend = TrackingBody.builder().chunk("abcd").pause().chunk("efgh").last("i");

        Body out = filter(8, text(backend)).body();

        assertThat(readAllOrFailure(out)).isInstanceOf(BodyTooLargeException.class);
        backend.assertNoLeaks();
        assertThat(backend.failedWith()).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void failsTheBodyItDropsWhenTheDeclaredLengthIsOverTheLimit() {
        TrackingBody backend = TrackingBody.builder().length(9).chunk("abcd").last("efghi");

        CompletableFuture<ProxyResponse> result = run(8, text(backend));

        assertThat(result).failsWithin(1, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOf(BodyTooLargeException.class);
        assertThat(UpstreamFailure.find(result.handle((r, e) -> e).join()))
                .hasValueSatisfying(f -> assertThat(f.status()).isEqualTo(502));
        assertThat(backend.failedWith()).isInstanceOf(BodyTooLargeException.class);
        assertThat(backend.chunksHandedOut()).isZero();
    }

    private ProxyResponse filter(long limit, ProxyResponse fromBackend) {
        return run(limit, fromBackend).join();
    }

    private CompletableFuture<ProxyResponse> run(long limit, ProxyResponse fromBackend) {
        return FilterChains.run(ctx, List.of(UpperCaseBodyExample.upperCase(limit)),
                request -> CompletableFuture.completedFuture(fromBackend), ProxyRequest.builder().build())
                .toCompletableFuture();
    }

    private static ProxyResponse text(Body body) {
        return ProxyResponse.builder(200).headers(Headers.of("Content-Type", "text/plain; charset=utf-8"))
                .body(body).build();
    }

    private static String readAll(Body body) throws Exception {
        Object result = readAllOrFailure(body);
        if (result instanceof Throwable failure) {
            throw new AssertionError("body failed", failure);
        }
        return (String) result;
    }

    /** Reads {@code body} to its end with demand, releasing every chunk: the text, or the failure it ended with. */
    private static Object readAllOrFailure(Body body) throws Exception {
        CompletableFuture<Object> done = new CompletableFuture<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Runnable[] pass = new Runnable[1];
        pass[0] = () -> {
            while (true) {
                Chunk chunk = body.read();
                if (chunk == null) {
                    body.demand(pass[0]);
                    return;
                }
                Object end = null;
                try {
                    if (chunk.failure() != null) {
                        end = chunk.failure();
                    } else {
                        byte[] data = new byte[chunk.data().remaining()];
                        chunk.data().get(data);
                        bytes.writeBytes(data);
                        if (chunk.isLast()) {
                            end = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                } finally {
                    // Released before the test is told: it checks for leaks as soon as it knows.
                    chunk.release();
                }
                if (end != null) {
                    done.complete(end);
                    return;
                }
            }
        };
        pass[0].run();
        try {
            return done.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }
}
