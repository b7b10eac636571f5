package dev.proxy4j.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FilterChainsTest {

    private static final RequestContext CTX = TestContexts.direct();

    private final List<String> calls = new ArrayList<>();
    private final ProxyRequest request = ProxyRequest.builder().path("/orders").build();

    /** The backend: records the request it got and answers 200 with its path in a header. */
    private final FilterChain backend = request -> {
        calls.add("backend " + request.path());
        return CompletableFuture.completedFuture(ProxyResponse.builder(200)
                .headers(Headers.of("X-Path", request.path()))
                .build());
    };

    /** A filter with a name, as the chain's messages show it. */
    private static ProxyFilter named(String name, ProxyFilter filter) {
        return new ProxyFilter() {
            @Override
            public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
                return filter.filter(ctx, request, next);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private ProxyFilter recording(String name) {
        return named(name, (ctx, request, next) -> {
            calls.add(name + " in");
            return next.proceed(request).thenApply(response -> {
                calls.add(name + " out");
                return response;
            });
        });
    }

    private static ProxyResponse join(CompletionStage<ProxyResponse> stage) throws Exception {
        return stage.toCompletableFuture().get();
    }

    private static Throwable failure(CompletionStage<ProxyResponse> stage) {
        CompletableFuture<ProxyResponse> future = stage.toCompletableFuture();
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
            throw new AssertionError("expected a failed stage");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutFiltersCallsTheTerminalDirectly() throws Exception {
        ProxyResponse response = join(FilterChains.run(CTX, List.of(), backend, request));

        assertThat(response.status()).isEqualTo(200);
        assertThat(calls).containsExactly("backend /orders");
    }

    @Test
    void runsFiltersInOrderOnTheWayInAndInReverseOnTheWayOut() throws Exception {
        join(FilterChains.run(CTX, List.of(recording("a"), recording("b"), recording("c")), backend, request));

        assertThat(calls).containsExactly("a in", "b in", "c in", "backend /orders", "c out", "b out", "a out");
    }

    @Test
    void aFilterPassesAChangedRequestAlongAndChangesTheResponse() throws Exception {
        ProxyFilter rewrite = (ctx, request, next) -> next.proceed(request.toBuilder().path("/v2" + request.path()).build())
                .thenApply(response -> response.toBuilder().status(203).build());
        ProxyFilter seesRewritten = (ctx, request, next) -> {
            calls.add("second sees " + request.path());
            return next.proceed(request);
        };

        ProxyResponse response = join(FilterChains.run(CTX, List.of(rewrite, seesRewritten), backend, request));

        assertThat(calls).containsExactly("second sees /v2/orders", "backend /v2/orders");
        assertThat(response.status()).isEqualTo(203);
        assertThat(response.headers().get("X-Path")).isEqualTo("/v2/orders");
    }

    @Test
    void aFilterThatAnswersItselfShortCircuitsTheRestOfTheChain() throws Exception {
        ProxyFilter deny = (ctx, request, next) -> CompletableFuture.completedFuture(ProxyResponse.text(403, "no"));

        ProxyResponse response = join(FilterChains.run(CTX, List.of(recording("a"), deny, recording("c")), backend, request));

        assertThat(response.status()).isEqualTo(403);
        assertThat(calls).containsExactly("a in", "a out");
    }

    @Test
    void aFilterThatReturnsNullFailsTheStageNamingTheFilter() {
        ProxyFilter broken = named("BrokenFilter", (ctx, request, next) -> null);

        Throwable failure = failure(FilterChains.run(CTX, List.of(recording("a"), broken), backend, request));

        assertThat(failure).isInstanceOf(FilterException.class).hasMessage("filter BrokenFilter returned null");
        assertThat(calls).doesNotContain("backend /orders");
    }

    @Test
    void aFilterThatThrowsFailsTheStageNamingTheFilterWithTheCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        ProxyFilter throwing = named("ThrowingFilter", (ctx, request, next) -> {
            throw boom;
        });

        Throwable failure = failure(FilterChains.run(CTX, List.of(throwing), backend, request));

        assertThat(failure).isInstanceOf(FilterException.class)
                .hasMessage("filter ThrowingFilter threw")
                .hasCause(boom);
        assertThat(calls).isEmpty();
    }

    @Test
    void aFilterThatProceedsTwiceFailsTheStageNamingTheFilter() {
        ProxyFilter twice = named("TwiceFilter", (ctx, request, next) -> {
            next.proceed(request);
            return next.proceed(request);
        });

        Throwable failure = failure(FilterChains.run(CTX, List.of(recording("a"), twice), backend, request));

        assertThat(failure).isInstanceOf(FilterException.class).hasMessage("filter TwiceFilter called proceed() twice");
        assertThat(calls).containsOnlyOnce("backend /orders");
    }

    @Test
    void aFilterThatProceedsTwiceLaterFailsWhenItDoes() {
        ProxyFilter twiceLater = named("RetryingFilter", (ctx, request, next) ->
                next.proceed(request).thenCompose(response -> next.proceed(request)));

        Throwable failure = failure(FilterChains.run(CTX, List.of(twiceLater), backend, request));

        assertThat(failure).isInstanceOf(FilterException.class)
                .hasMessage("filter RetryingFilter called proceed() twice");
        assertThat(calls).containsExactly("backend /orders");
    }

    @Test
    void eachFilterMayProceedOnceInEveryRun() throws Exception {
        List<ProxyFilter> filters = List.of(recording("a"), recording("b"));

        join(FilterChains.run(CTX, filters, backend, request));
        join(FilterChains.run(CTX, filters, backend, request));

        assertThat(calls).filteredOn(call -> call.startsWith("backend")).hasSize(2);
    }

    @Test
    void theTerminalsFailureReachesTheFilters() {
        IllegalStateException down = new IllegalStateException("backend down");
        FilterChain failing = request -> CompletableFuture.failedFuture(down);

        Throwable failure = failure(FilterChains.run(CTX, List.of(recording("a")), failing, request));

        assertThat(failure).isSameAs(down);
    }

    @Test
    void aDetachedProceedPassesTheFiltersAfterAndReachesTheTerminalAsDetached() throws Exception {
        FilterChain terminal = new FilterChain() {
            @Override
            public CompletionStage<ProxyResponse> proceed(ProxyRequest request) {
                calls.add("backend attached");
                return CompletableFuture.completedFuture(ProxyResponse.builder(200).build());
            }

            @Override
            public CompletionStage<ProxyResponse> proceedDetached(ProxyRequest request) {
                calls.add("backend detached");
                return CompletableFuture.completedFuture(ProxyResponse.builder(204).build());
            }
        };
        ProxyFilter detaching = named("detaching", (ctx, request, next) -> next.proceedDetached(request));

        ProxyResponse response = join(FilterChains.run(CTX, List.of(recording("a"), detaching, recording("b")), terminal,
                request));

        assertThat(response.status()).isEqualTo(204);
        assertThat(calls).containsExactly("a in", "b in", "backend detached", "b out", "a out");
    }

    @Test
    void proceedingAttachedAfterDetachedFailsNamingTheFilter() {
        ProxyFilter both = named("both", (ctx, request, next) -> {
            next.proceedDetached(request);
            return next.proceed(request);
        });

        assertThatThrownBy(() -> join(FilterChains.run(CTX, List.of(both), backend, request)))
                .hasRootCauseMessage("filter both called proceed() twice");
    }
}
