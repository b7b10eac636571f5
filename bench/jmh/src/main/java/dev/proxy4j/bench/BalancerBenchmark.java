package dev.proxy4j.bench;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.EndpointSelector;
import dev.proxy4j.upstream.LoadBalancer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** Endpoint selection, on one thread and on two contending threads. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BalancerBenchmark {

    private final ProxyRequest request = Requests.get("api.example.com", "/");
    private final List<Endpoint> endpoints = List.of(
            Endpoint.of("http://10.0.0.1:80", 3), Endpoint.of("http://10.0.0.2:80", 1), Endpoint.of("http://10.0.0.3:80", 1));
    private final RequestContext ctx = RequestContext.builder().requestId("bench")
            .eventLoop(Requests.DIRECT_LOOP).blockingExecutor(Runnable::run).build();
    private final EndpointSelector roundRobin = LoadBalancer.roundRobin().newSelector(EndpointGroup.of(endpoints));
    private final EndpointSelector weighted = LoadBalancer.weightedRoundRobin().newSelector(EndpointGroup.of(endpoints));

    @Benchmark
    public Object roundRobin() {
        return roundRobin.select(ctx, request, Set.of());
    }

    @Benchmark
    public Object weightedRoundRobin() {
        return weighted.select(ctx, request, Set.of());
    }

    @Benchmark
    @Threads(2)
    public Object weightedRoundRobinTwoThreads() {
        return weighted.select(ctx, request, Set.of());
    }
}
