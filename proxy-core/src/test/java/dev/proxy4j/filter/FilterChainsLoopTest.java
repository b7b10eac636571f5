package dev.proxy4j.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chain brings a request back to its event loop whatever thread a filter's work completes on. */
class FilterChainsLoopTest {

    private final ScheduledExecutorService loopThread = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "loop"));
    private final ExecutorService foreign = Executors.newSingleThreadExecutor(r -> new Thread(r, "foreign"));
    private final EventLoop loop = TestContexts.on(loopThread);
    private final RequestContext ctx = TestContexts.on(loop, foreign);
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final ProxyRequest request = ProxyRequest.builder().path("/").build();

    @AfterEach
    void stop() {
        loopThread.shutdownNow();
        foreign.shutdownNow();
    }

    private FilterChain backend() {
        return r -> {
            threads.add("backend " + Thread.currentThread().getName());
            return CompletableFuture.completedFuture(ProxyResponse.text(200, "ok"));
        };
    }

    private ProxyResponse runOnLoop(List<ProxyFilter> filters) throws Exception {
        return CompletableFuture.supplyAsync(() -> FilterChains.run(ctx, filters, backend(), request), loopThread)
                .thenCompose(stage -> stage)
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFilterThatProceedsFromAForeignThreadHasTheRestOfTheChainRunOnTheLoop() throws Exception {
        ProxyFilter async = (c, r, next) -> CompletableFuture.supplyAsync(() -> {
            threads.add("lookup " + Thread.currentThread().getName());
            return r;
        }, foreign).thenCompose(next::proceed);
        ProxyFilter after = (c, r, next) -> {
            threads.add("after " + Thread.currentThread().getName());
            return next.proceed(r);
        };

        ProxyResponse response = runOnLoop(List.of(async, after));

        assertThat(response.status()).isEqualTo(200);
        assertThat(threads).containsExactly("lookup foreign", "after loop", "backend loop");
    }

    @Test
    void aResponseStageCompletedOnAForeignThreadReachesTheEarlierFilterOnTheLoop() throws Exception {
        ProxyFilter outer = (c, r, next) -> next.proceed(r).thenApply(response -> {
            threads.add("outer sees response on " + Thread.currentThread().getName());
            return response;
        });
        ProxyFilter slowAnswer = (c, r, next) -> CompletableFuture.supplyAsync(
                () -> ProxyResponse.text(203, "from elsewhere"), foreign);

        ProxyResponse response = runOnLoop(List.of(outer, slowAnswer));

        assertThat(response.status()).isEqualTo(203);
        assertThat(threads).containsExactly("outer sees response on loop");
    }

    @Test
    void blockingWorkOnTheContextsExecutorComesBackToTheLoop() throws Exception {
        ProxyFilter blocking = (c, r, next) -> CompletableFuture.supplyAsync(() -> {
            threads.add("blocking " + Thread.currentThread().getName() + " in loop: " + c.eventLoop().inEventLoop());
            return r;
        }, c.blockingExecutor()).thenCompose(next::proceed);

        runOnLoop(List.of(blocking));

        assertThat(threads).containsExactly("blocking foreign in loop: false", "backend loop");
    }

    @Test
    void aStageAlreadyCompleteIsHandedBackAsItIs() {
        CompletableFuture<ProxyResponse> done = CompletableFuture.completedFuture(ProxyResponse.text(200, "x"));
        ProxyFilter answers = (c, r, next) -> done;

        assertThat(FilterChains.run(TestContexts.direct(), List.of(answers), backend(), request)).isSameAs(done);
    }
}
