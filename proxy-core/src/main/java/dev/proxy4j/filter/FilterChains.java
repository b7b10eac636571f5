package dev.proxy4j.filter;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a list of filters in front of a terminal step (the backend), and enforces the filter contract:
 * a filter that returns null, throws, or proceeds twice fails the request with a message naming it.
 */
public final class FilterChains {

    private FilterChains() {
    }

    /**
     * Passes {@code request} through {@code filters} in order, then to {@code terminal}.
     * With no filters this is a direct call of {@code terminal}.
     */
    public static CompletionStage<ProxyResponse> run(
            List<ProxyFilter> filters, FilterChain terminal, ProxyRequest request) {
        if (filters.isEmpty()) {
            return terminal.proceed(request);
        }
        return new Step(filters, 0, terminal).proceed(request);
    }

    private static final class Step implements FilterChain {
        private final List<ProxyFilter> filters;
        private final int index;
        private final FilterChain terminal;
        private final AtomicBoolean proceeded = new AtomicBoolean();

        Step(List<ProxyFilter> filters, int index, FilterChain terminal) {
            this.filters = filters;
            this.index = index;
            this.terminal = terminal;
        }

        @Override
        public CompletionStage<ProxyResponse> proceed(ProxyRequest request) {
            if (index == filters.size()) {
                return terminal.proceed(request);
            }
            ProxyFilter filter = filters.get(index);
            Step next = new Step(filters, index + 1, terminal);
            CompletionStage<ProxyResponse> result;
            try {
                result = filter.filter(request, next.once(filter));
            } catch (FilterException e) {
                // the chain's own verdict, e.g. proceed() called twice; it already names the filter
                return CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new FilterException("filter " + filter + " threw", e));
            }
            if (result == null) {
                return CompletableFuture.failedFuture(new FilterException("filter " + filter + " returned null"));
            }
            return result;
        }

        /** The chain as handed to {@code owner}: proceeding twice is the owner's error. */
        private FilterChain once(ProxyFilter owner) {
            return request -> {
                if (!proceeded.compareAndSet(false, true)) {
                    throw new FilterException("filter " + owner + " called proceed() twice");
                }
                return proceed(request);
            };
        }
    }
}
