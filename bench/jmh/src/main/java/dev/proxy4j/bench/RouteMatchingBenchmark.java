package dev.proxy4j.bench;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import dev.proxy4j.route.RouteTable;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching with 1, 10, 100 and 10,000 routes. Two shapes: {@code HOSTS} spreads the routes over
 * hosts ten prefixes each (a gateway in front of many services), {@code PREFIXES} puts them all on one
 * host (one API with many paths). The request matches the last route of its shape, the worst case.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RouteMatchingBenchmark {

    @Param({"1", "10", "100", "10000"})
    int routes;

    @Param({"HOSTS", "PREFIXES"})
    String shape;

    private RouteTable table;
    private ProxyRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        Upstream upstream = Upstream.of("http://127.0.0.1:9000");
        List<Route> list = new ArrayList<>();
        String lastHost = "";
        String lastPrefix = "";
        for (int i = 0; i < routes; i++) {
            String host = shape.equals("HOSTS") ? "svc" + (i / 10) + ".example.com" : "api.example.com";
            String prefix = "/resource" + i;
            list.add(Route.builder().host(host).pathPrefix(prefix).upstream(upstream).build());
            lastHost = host;
            lastPrefix = prefix;
        }
        table = new RouteTable(list);
        request = Requests.get(lastHost, lastPrefix + "/42");
    }

    @Benchmark
    public Object match() {
        return table.match(request);
    }
}
