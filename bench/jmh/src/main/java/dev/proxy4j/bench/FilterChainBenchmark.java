package dev.proxy4j.bench;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The filter chain's own cost with 0 and 10 pass-through filters in front of an answering terminal,
 * with a request context on a loop that is the calling thread, the context made per request as the
 * proxy does ({@code newContext}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FilterChainBenchmark {

    @Param({"0", "10"})
    int filters;

    private final ProxyRequest request = Requests.get("api.example.com", "/");
    private final CompletableFuture<ProxyResponse> answer =
            CompletableFuture.completedFuture(ProxyResponse.builder(200).build());
    private final FilterChain terminal = request -> answer;
    private List<ProxyFilter> chain;

    @Setup
    public void setUp() {
        List<ProxyFilter> list = new ArrayList<>();
        for (int i = 0; i < filters; i++) {
            list.add((ctx, request, next) -> next.proceed(request));
        }
        chain = List.copyOf(list);
    }

    private final RequestContext ctx = context();

    private static RequestContext context() {
        return RequestContext.builder().requestId("bench").eventLoop(Requests.DIRECT_LOOP)
                .blockingExecutor(Runnable::run).build();
    }

    @Benchmark
    public Object run() {
        return FilterChains.run(ctx, chain, terminal, request);
    }

    @Benchmark
    public Object newContext() {
        return FilterChains.run(context(), chain, terminal, request);
    }
}
