package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.filter.ProxyFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Filters that go off the loop (a foreign executor, the blocking executor, a timer) and come back:
 * the rest of the request runs on the request's event loop, never on the thread the stage completed on.
 */
class FilterThreadsTest {

    private static final String FOREIGN = "foreign-";

    private final ExecutorService foreign = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, FOREIGN + System.nanoTime());
        thread.setDaemon(true);
        return thread;
    });
    /** Where each observation point ran: its thread's name, and whether that was the request's loop. */
    private final Map<String, String> threads = new ConcurrentHashMap<>();
    private final Map<String, Boolean> onLoop = new ConcurrentHashMap<>();
    private TestBackend backend;
    private ProxyServer proxy;
    private HttpClient client;

    @BeforeEach
    void startBackend() throws Exception {
        backend = TestBackend.answering("ok");
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
        foreign.shutdownNow();
    }

    private void record(String point, boolean inEventLoop) {
        threads.put(point, Thread.currentThread().getName());
        onLoop.put(point, inEventLoop);
    }

    private ContentResponse get(Clients protocol, List<ProxyFilter> filters) throws Exception {
        ProxyServer.Builder builder = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false);
        filters.forEach(builder::filter);
        proxy = builder.route(r -> r.pathPrefix("/").upstream(backend.uri())).build().start();
        client = protocol.start();
        return client.newRequest("127.0.0.1", proxy.port()).path("/x").timeout(10, TimeUnit.SECONDS).send();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterWhoseStageCompletesOnAForeignThreadHasTheRestOfTheRequestBroughtBackToTheLoop(Clients protocol)
            throws Exception {
        ProxyFilter outer = (ctx, request, next) -> {
            record("outer in", ctx.eventLoop().inEventLoop());
            return next.proceed(request).thenApply(response -> {
                record("outer out", ctx.eventLoop().inEventLoop());
                return response;
            });
        };
        ProxyFilter offLoop = (ctx, request, next) -> {
            record("offLoop in", ctx.eventLoop().inEventLoop());
            return CompletableFuture.supplyAsync(() -> {
                        record("foreign work", ctx.eventLoop().inEventLoop());
                        return request;
                    }, foreign)
                    .thenCompose(next::proceed)
                    .thenApply(response -> {
                        record("offLoop out", ctx.eventLoop().inEventLoop());
                        return response;
                    })
                    // The filter's own last step on the foreign executor: the outer filter must still resume on the loop.
                    .thenApplyAsync(response -> response, foreign);
        };
        ProxyFilter inner = (ctx, request, next) -> {
            record("inner in", ctx.eventLoop().inEventLoop());
            return next.proceed(request);
        };

        ContentResponse response = get(protocol, List.of(outer, offLoop, inner));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(threads.get("foreign work")).startsWith(FOREIGN);
        assertThat(onLoop.get("foreign work")).isFalse();
        String loop = threads.get("inner in");
        assertThat(loop).doesNotStartWith(FOREIGN);
        // After the foreign work everything runs on the request's loop, one thread.
        for (String point : List.of("inner in", "offLoop out", "outer out")) {
            assertThat(threads.get(point)).as("thread of " + point).isEqualTo(loop);
            assertThat(onLoop.get(point)).as("inEventLoop at " + point).isTrue();
        }
        // It began on the loop too, over either protocol.
        assertThat(onLoop.get("outer in")).as("inEventLoop at outer in").isTrue();
        assertThat(threads.get("outer in")).isEqualTo(loop);
        assertThat(threads.get("offLoop in")).isEqualTo(loop);
    }

    /**
     * One client connection is one loop's, and that loop is one thread: every request on the
     * connection runs its filters on that thread. Over HTTP/2 Jetty's selector would hand its
     * selecting to a reserved thread before each read of the connection, given one; the proxy's
     * thread pool keeps none (docs/architecture.md, "Threads").
     */
    @ParameterizedTest
    @EnumSource(Clients.class)
    void everyRequestOfOneConnectionRunsOnTheSameLoopThread(Clients protocol) throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger offLoop = new java.util.concurrent.atomic.AtomicInteger();
        ProxyFilter watch = (ctx, request, next) -> {
            seen.merge(Thread.currentThread().getName(), 1, Integer::sum);
            if (!ctx.eventLoop().inEventLoop()) {
                offLoop.incrementAndGet();
            }
            return next.proceed(request);
        };
        int requests = 200;

        ContentResponse first = get(protocol, List.of(watch));
        assertThat(first.getStatus()).isEqualTo(200);
        for (int i = 1; i < requests; i++) {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/x/" + i)
                    .timeout(10, TimeUnit.SECONDS).send();
            assertThat(response.getStatus()).isEqualTo(200);
        }

        // The test client keeps one connection for sequential requests, over either protocol.
        assertThat(client.getDestinations()).hasSize(1);
        assertThat(seen).as("threads the filter ran on, with counts").hasSize(1);
        assertThat(seen.values()).containsExactly(requests);
        assertThat(offLoop.get()).as("requests whose filter was told it was off the loop").isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterThatOffloadsBlockingWorkToTheBlockingExecutorProceedsBackOnTheLoop(Clients protocol)
            throws Exception {
        ProxyFilter blocking = (ctx, request, next) -> {
            record("blocking in", ctx.eventLoop().inEventLoop());
            return CompletableFuture.supplyAsync(() -> {
                        record("blocking work", ctx.eventLoop().inEventLoop());
                        try {
                            Thread.sleep(20); // the blocking call the executor is for
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return request.toBuilder()
                                .headers(request.headers().toBuilder().set("X-Looked-Up", "yes").build()).build();
                    }, ctx.blockingExecutor())
                    .thenCompose(next::proceed);
        };
        ProxyFilter inner = (ctx, request, next) -> {
            record("inner in", ctx.eventLoop().inEventLoop());
            return next.proceed(request);
        };

        ContentResponse response = get(protocol, List.of(blocking, inner));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(backend.take().header("X-Looked-Up")).isEqualTo("yes");
        assertThat(onLoop.get("blocking work")).as("blocking work on the loop").isFalse();
        assertThat(threads.get("blocking work")).isNotEqualTo(threads.get("blocking in"));
        // Back on the loop, the thread the request began on.
        assertThat(onLoop.get("inner in")).isTrue();
        assertThat(threads.get("inner in")).isEqualTo(threads.get("blocking in"));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aFilterDelaysARequestWithTheLoopsTimerAndTheTimerRunsOnTheLoop(Clients protocol) throws Exception {
        Map<String, Long> delays = new ConcurrentHashMap<>();
        ProxyFilter delay = (ctx, request, next) -> {
            record("delay in", ctx.eventLoop().inEventLoop());
            long start = System.nanoTime();
            CompletableFuture<Void> later = new CompletableFuture<>();
            ctx.eventLoop().schedule(Duration.ofMillis(50), () -> {
                record("timer", ctx.eventLoop().inEventLoop());
                delays.put("timer", System.nanoTime() - start);
                later.complete(null);
            });
            return later.thenCompose(ignored -> next.proceed(request));
        };

        ContentResponse response = get(protocol, List.of(delay));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("ok");
        assertThat(delays.get("timer")).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        // On the loop, whichever thread carries it now (as above).
        assertThat(onLoop.get("timer")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aCancelledTimerNeverRuns(Clients protocol) throws Exception {
        ProxyFilter cancel = (ctx, request, next) -> {
            boolean cancelled = ctx.eventLoop().schedule(Duration.ofMillis(30), () -> record("cancelled timer", true))
                    .cancel();
            CompletableFuture<Void> later = new CompletableFuture<>();
            ctx.eventLoop().schedule(Duration.ofMillis(100), () -> later.complete(null));
            return later.thenCompose(ignored -> next.proceed(request)).thenApply(response -> response.toBuilder()
                    .headers(response.headers().toBuilder().set("X-Cancelled", String.valueOf(cancelled)).build())
                    .build());
        };

        ContentResponse response = get(protocol, List.of(cancel));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("X-Cancelled")).isEqualTo("true");
        assertThat(threads).doesNotContainKey("cancelled timer");
    }
}
