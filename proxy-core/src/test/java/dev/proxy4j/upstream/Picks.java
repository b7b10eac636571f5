package dev.proxy4j.upstream;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs selectors for tests. */
final class Picks {

    static final ProxyRequest REQUEST = ProxyRequest.builder().build();
    static final RequestContext CTX = TestContexts.direct();

    private Picks() {
    }

    /** The first {@code count} picks, as the endpoints' hosts. */
    static List<String> hosts(EndpointSelector selector, int count) {
        return hosts(selector, count, Set.of());
    }

    static List<String> hosts(EndpointSelector selector, int count, Set<Endpoint> excluded) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Endpoint picked = pick(selector, excluded);
            hosts.add(picked == null ? "null" : picked.host());
        }
        return hosts;
    }

    /** One pick with nothing excluded. */
    static @Nullable Endpoint pick(EndpointSelector selector) {
        return pick(selector, Set.of());
    }

    static @Nullable Endpoint pick(EndpointSelector selector, Set<Endpoint> excluded) {
        EndpointState picked = selector.select(CTX, REQUEST, excluded);
        return picked == null ? null : picked.endpoint();
    }

    /** How often each host is picked over {@code count} picks. */
    static Map<String, Integer> counts(EndpointSelector selector, int count) {
        Map<String, Integer> counts = new HashMap<>();
        hosts(selector, count).forEach(host -> counts.merge(host, 1, Integer::sum));
        return counts;
    }

    /** How often each host is picked by {@code threads} threads picking {@code picksPerThread} times at once. */
    static Map<String, Integer> countsFromThreads(EndpointSelector selector, int threads, int picksPerThread)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return hosts(selector, picksPerThread);
                }));
            }
            start.countDown();
            Map<String, Integer> counts = new HashMap<>();
            for (Future<List<String>> result : results) {
                result.get(1, TimeUnit.MINUTES).forEach(host -> counts.merge(host, 1, Integer::sum));
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }
}
