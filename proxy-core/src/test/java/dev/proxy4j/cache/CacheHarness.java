package dev.proxy4j.cache;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A cache filter in front of a scripted origin, on a loop that runs tasks at once, with a clock the test moves. */
final class CacheHarness {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    final TestClock clock = new TestClock(T0);
    final CacheStore store;
    final HttpCache cache;
    final ProxyFilter filter;
    final List<ProxyRequest> received = new ArrayList<>();
    final List<Runnable> timers = new ArrayList<>();
    Function<ProxyRequest, CompletionStage<ProxyResponse>> origin = request -> {
        throw new AssertionError("no origin scripted");
    };

    private final EventLoop loop = new EventLoop() {
        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            timers.add(task);
            return () -> timers.remove(task);
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    CacheHarness() {
        this(HttpCache.builder().store(InMemoryCacheStore.of(1 << 20, 1024)), CacheKey.defaults());
    }

    CacheHarness(HttpCache.Builder builder, CacheKey key) {
        HttpCache built = builder.build();
        this.cache = built;
        this.store = built.store();
        this.filter = built.filter(key);
    }

    /** The origin answers every request with {@code status}, {@code headers} and {@code body}. */
    CacheHarness answers(int status, String body, String... headers) {
        origin = request -> CompletableFuture.completedFuture(response(status, body, headers));
        return this;
    }

    static ProxyResponse response(int status, String body, String... headers) {
        return ProxyResponse.builder(status).headers(Headers.of(headers)).body(Body.ofUtf8(body)).build();
    }

    static String date(Instant instant) {
        return HttpDates.format(instant);
    }

    String now() {
        return date(clock.instant());
    }

    static ProxyRequest get(String target, String... headers) {
        return ProxyRequest.builder().method("GET").authority("example.com").pathAndQuery(target)
                .headers(Headers.of(headers)).build();
    }

    static ProxyRequest request(String method, String target, String... headers) {
        return get(target, headers).toBuilder().method(method).build();
    }

    RequestContext ctx() {
        return RequestContext.builder().requestId("t").eventLoop(loop).blockingExecutor(Runnable::run).clock(clock)
                .build();
    }

    /** The response's stage, unread. */
    CompletionStage<ProxyResponse> start(ProxyRequest request) {
        FilterChain backend = forwarded -> {
            received.add(forwarded);
            return origin.apply(forwarded);
        };
        return filter.filter(ctx(), request, backend);
    }

    /** Sends {@code request} and reads the whole response. */
    Result send(ProxyRequest request) {
        return read(start(request).toCompletableFuture().join());
    }

    /** Sends {@code request} in {@code ctx} (whose request log the test reads) and reads the whole response. */
    Result send(RequestContext ctx, ProxyRequest request) {
        FilterChain backend = forwarded -> {
            received.add(forwarded);
            return origin.apply(forwarded);
        };
        return read(filter.filter(ctx, request, backend).toCompletableFuture().join());
    }

    static Result read(ProxyResponse response) {
        String body = Bodies.aggregate(response.body(), 1 << 20).toCompletableFuture().join().toUtf8();
        return new Result(response.status(), response.headers(), body);
    }

    record Result(int status, Headers headers, String body) {
        String header(String name) {
            return headers.get(name);
        }

        String cacheStatus() {
            return headers.get("Cache-Status");
        }
    }
}
