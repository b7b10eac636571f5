package dev.proxy4j.bench;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.EndpointSelector;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.LoadBalancer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * One selection by each built-in balancer (as {@code --lb} spells it) over 2, 10 and 100
 * endpoints of weights 1, 2 and 3 in turn, with 4096 requests of different keys (an X-User header
 * for the hash balancers, a valid sticky cookie for one endpoint or another) taken in turn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SelectionBenchmark {

    private static final int REQUESTS = 4096;

    @Param({"round-robin", "weighted-round-robin", "random", "least-requests", "p2c", "ring-hash:header:X-User",
            "maglev:header:X-User", "sticky-cookie:srv"})
    public String balancer;

    @Param({"2", "10", "100"})
    public int endpoints;

    private final RequestContext ctx = RequestContext.builder().requestId("bench")
            .eventLoop(Requests.DIRECT_LOOP).blockingExecutor(Runnable::run).build();
    private EndpointSelector selector;
    private ProxyRequest[] requests;
    private int next;

    @Setup
    public void setUp() {
        List<Endpoint> members = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            members.add(Endpoint.of("http://10.0." + i / 250 + '.' + (i % 250 + 1) + ":8080", i % 3 + 1));
        }
        EndpointGroup group = EndpointGroup.of(members);
        selector = LoadBalancer.parse(balancer).newSelector(group);
        EndpointSelector sticky = LoadBalancer.stickyCookie("srv").newSelector(group);
        List<EndpointState> states = group.snapshot().members();
        requests = new ProxyRequest[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            String setCookie = sticky.responseHeaders(ctx, ProxyRequest.builder().build(), states.get(i % endpoints))
                    .get("Set-Cookie");
            Headers headers = Requests.typicalHeaders().toBuilder()
                    .set("Cookie", "theme=dark; " + setCookie.substring(0, setCookie.indexOf(';')))
                    .add("X-User", "user-" + i)
                    .build();
            requests[i] = ProxyRequest.builder().method("GET").authority("api.example.com").path("/items/" + i)
                    .headers(headers).peerAddress("192.0.2.10").build();
        }
    }

    @Benchmark
    public Object select() {
        ProxyRequest request = requests[next++ & (REQUESTS - 1)];
        return selector.select(ctx, request, Set.of());
    }
}
