package dev.proxy4j.filter;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a list of filters in front of a terminal step (the route's target), and enforces the filter
 * contract: a filter that returns null, throws, or proceeds twice fails the request with a message
 * naming it. Every step runs on the request's event loop: a filter that proceeds from another
 * thread, or whose stage completes on another thread, is brought back to the loop.
 */
public final class FilterChains {

    private FilterChains() {
    }

    /**
     * Passes {@code request} through {@code filters} in order, then to {@code terminal}.
     * With no filters this is a direct call of {@code terminal}, whose stage is returned as it is
     * (a null or a throw becomes a failed stage); with filters, every filter's stage is completed on
     * the request's event loop.
     */
    public static CompletionStage<ProxyResponse> run(RequestContext ctx, List<ProxyFilter> filters,
            FilterChain terminal, ProxyRequest request) {
        if (filters.isEmpty()) {
            // No filter waits on the stage: it is handed back as the terminal made it (no null, nothing
            // thrown); a caller that needs it on the loop brings it there, as the proxy does.
            return Step.call(terminal, request);
        }
        return new Step(ctx, filters, 0, terminal, false).proceed(request);
    }

    private static final class Step implements FilterChain {
        private final RequestContext ctx;
        private final List<ProxyFilter> filters;
        private final int index;
        private final FilterChain terminal;
        /** The rest of the chain is for detached work ({@link FilterChain#proceedDetached}). */
        private final boolean detached;
        private final AtomicBoolean proceeded = new AtomicBoolean();

        Step(RequestContext ctx, List<ProxyFilter> filters, int index, FilterChain terminal, boolean detached) {
            this.ctx = ctx;
            this.filters = filters;
            this.index = index;
            this.terminal = terminal;
            this.detached = detached;
        }

        @Override
        public CompletionStage<ProxyResponse> proceedDetached(ProxyRequest request) {
            return detached ? proceed(request) : new Step(ctx, filters, index, terminal, true).proceed(request);
        }

        @Override
        public CompletionStage<ProxyResponse> proceed(ProxyRequest request) {
            EventLoop loop = ctx.eventLoop();
            if (!loop.inEventLoop()) {
                CompletableFuture<ProxyResponse> hopped = new CompletableFuture<>();
                try {
                    loop.execute(() -> onLoop(loop, proceedHere(request), hopped));
                } catch (RuntimeException refused) {
                    // The loop is gone (the proxy stops): the request fails rather than hangs.
                    hopped.completeExceptionally(refused);
                }
                return hopped;
            }
            return proceedHere(request);
        }

        private CompletionStage<ProxyResponse> proceedHere(ProxyRequest request) {
            EventLoop loop = ctx.eventLoop();
            if (index == filters.size()) {
                return backOnLoop(loop, call(terminal, request, detached));
            }
            ProxyFilter filter = filters.get(index);
            Step next = new Step(ctx, filters, index + 1, terminal, detached);
            CompletionStage<ProxyResponse> result;
            try {
                result = filter.filter(ctx, request, next.once(filter));
            } catch (FilterException e) {
                // the chain's own verdict, e.g. proceed() called twice; it already names the filter
                return CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new FilterException("filter " + filter + " threw", e));
            }
            if (result == null) {
                return CompletableFuture.failedFuture(new FilterException("filter " + filter + " returned null"));
            }
            return backOnLoop(loop, result);
        }

        static CompletionStage<ProxyResponse> call(FilterChain terminal, ProxyRequest request) {
            return call(terminal, request, false);
        }

        static CompletionStage<ProxyResponse> call(FilterChain terminal, ProxyRequest request, boolean detached) {
            try {
                CompletionStage<ProxyResponse> result = detached ? terminal.proceedDetached(request)
                        : terminal.proceed(request);
                return result != null ? result
                        : CompletableFuture.failedFuture(new FilterException("target " + terminal + " returned null"));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** {@code stage} as is when already done; otherwise a stage that completes on the loop. */
        static CompletionStage<ProxyResponse> backOnLoop(EventLoop loop, CompletionStage<ProxyResponse> stage) {
            if (stage instanceof CompletableFuture<ProxyResponse> future && future.isDone()) {
                return future;
            }
            CompletableFuture<ProxyResponse> onLoop = new CompletableFuture<>();
            onLoop(loop, stage, onLoop);
            return onLoop;
        }

        private static void onLoop(EventLoop loop, CompletionStage<ProxyResponse> stage,
                CompletableFuture<ProxyResponse> target) {
            stage.whenComplete((response, failure) -> {
                if (loop.inEventLoop()) {
                    complete(target, response, failure);
                    return;
                }
                try {
                    loop.execute(() -> complete(target, response, failure));
                } catch (RuntimeException refused) {
                    if (response != null) {
                        response.body().fail(refused);
                    }
                    target.completeExceptionally(refused);
                }
            });
        }

        private static void complete(CompletableFuture<ProxyResponse> target, ProxyResponse response,
                Throwable failure) {
            if (failure != null) {
                target.completeExceptionally(failure);
            } else {
                target.complete(response);
            }
        }

        /** The chain as handed to {@code owner}: proceeding twice (detached or not) is the owner's error. */
        private FilterChain once(ProxyFilter owner) {
            return new FilterChain() {
                @Override
                public CompletionStage<ProxyResponse> proceed(ProxyRequest request) {
                    first(owner);
                    return Step.this.proceed(request);
                }

                @Override
                public CompletionStage<ProxyResponse> proceedDetached(ProxyRequest request) {
                    first(owner);
                    return Step.this.proceedDetached(request);
                }
            };
        }

        private void first(ProxyFilter owner) {
            if (!proceeded.compareAndSet(false, true)) {
                throw new FilterException("filter " + owner + " called proceed() twice");
            }
        }
    }
}
