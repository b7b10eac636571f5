package dev.proxy4j.bench;

import dev.proxy4j.forward.ForwardingPolicy;
import dev.proxy4j.forward.HopByHop;
import dev.proxy4j.http.ProxyRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-request header work: hop-by-hop stripping and the whole forwarding policy. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HeadersBenchmark {

    private final ProxyRequest request = Requests.get("api.example.com", "/products/42");
    private final ForwardingPolicy defaults = ForwardingPolicy.defaults();
    private final ForwardingPolicy trusting = ForwardingPolicy.builder().trustedProxies("192.0.2.0/24").build();

    @Benchmark
    public Object stripHopByHop() {
        return HopByHop.strip(request.headers());
    }

    @Benchmark
    public Object forwardingPolicyUntrustedPeer() {
        return defaults.apply(request);
    }

    @Benchmark
    public Object forwardingPolicyTrustedPeer() {
        return trusting.apply(request);
    }
}
