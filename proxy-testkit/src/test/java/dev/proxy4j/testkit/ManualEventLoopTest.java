package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ManualEventLoopTest {

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualEventLoop loop = new ManualEventLoop(clock);
    private final List<String> ran = new ArrayList<>();

    @Test
    void tasksWaitForTheTestAndRunOnTheLoop() {
        loop.execute(() -> ran.add("a on loop: " + loop.inEventLoop()));
        loop.execute(() -> loop.execute(() -> ran.add("b, added by a")));

        assertThat(ran).isEmpty();
        assertThat(loop.runDue()).isEqualTo(3);
        assertThat(ran).containsExactly("a on loop: true", "b, added by a");
        assertThat(loop.inEventLoop()).isFalse();
    }

    @Test
    void timersFireWhenTheClockPassesThemInTheOrderTheyAreDue() {
        loop.schedule(Duration.ofSeconds(2), () -> ran.add("2s"));
        loop.schedule(Duration.ofSeconds(1), () -> ran.add("1s"));
        EventLoop.Cancellable cancelled = loop.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        assertThat(cancelled.cancel()).isTrue();

        clock.advance(Duration.ofMillis(999));
        loop.runDue();
        assertThat(ran).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        loop.runDue();

        assertThat(ran).containsExactly("1s", "2s");
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aFilterThatDelaysARequestIsTestedByMovingTheClock() {
        RequestContext ctx = loop.context();
        ProxyFilter delaySecond = (c, request, next) -> {
            CompletableFuture<ProxyResponse> later = new CompletableFuture<>();
            c.eventLoop().schedule(Duration.ofSeconds(1),
                    () -> next.proceed(request).whenComplete((r, t) -> later.complete(r)));
            return later;
        };
        FilterChain backend = request -> CompletableFuture.completedFuture(ProxyResponse.text(200, "ok"));

        loop.enter();
        CompletionStage<ProxyResponse> response = FilterChains.run(ctx, List.of(delaySecond), backend,
                ProxyRequest.builder().build());
        loop.exit();
        loop.runDue();
        assertThat(response.toCompletableFuture()).isNotDone();

        clock.advance(Duration.ofSeconds(1));
        loop.runDue();
        assertThat(response.toCompletableFuture()).isCompletedWithValueMatching(r -> r.status() == 200);
    }
}
