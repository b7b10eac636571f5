package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointSelector;
import dev.proxy4j.upstream.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LoadBalancer} must do, whatever its policy. Extend it and implement
 * {@link #loadBalancer()}:
 *
 * <pre>{@code
 * class LeastLatencyContractTest extends LoadBalancerContract {
 *     @Override
 *     protected LoadBalancer loadBalancer() {
 *         return new LeastLatencyLoadBalancer();
 *     }
 * }
 * }</pre>
 *
 * <p>The class and its tests are public because subclasses live in other packages.
 */
public abstract class LoadBalancerContract {

    private static final ProxyRequest REQUEST = ProxyRequest.builder().method("GET").path("/contract").build();

    /** The load balancer under test. Called once per test. */
    protected abstract LoadBalancer loadBalancer();

    @Test
    public void rejectsAnEmptyListOfEndpoints() {
        assertThatThrownBy(() -> loadBalancer().newSelector(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void selectsOnlyEndpointsItWasGiven() {
        LoadBalancer loadBalancer = loadBalancer();
        for (List<Endpoint> endpoints : List.of(endpoints(1), endpoints(2), endpoints(5), weighted(3), mixedWeights())) {
            EndpointSelector selector = loadBalancer.newSelector(endpoints);
            for (int i = 0; i < 100 * endpoints.size(); i++) {
                assertThat(selector.select(REQUEST)).isIn(endpoints);
                assertThat(selector.select(REQUEST, Set.of())).isIn(endpoints);
            }
        }
    }

    @Test
    public void choosesEveryEndpointWithinAHundredPicksEachWhenWeightsAreEqual() {
        List<Endpoint> endpoints = endpoints(5);
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        Set<Endpoint> chosen = new HashSet<>();
        for (int i = 0; i < 100 * endpoints.size(); i++) {
            chosen.add(selector.select(REQUEST));
        }
        assertThat(chosen).containsExactlyInAnyOrderElementsOf(endpoints);
    }

    @Test
    public void neverSelectsAnExcludedEndpoint() {
        List<Endpoint> endpoints = weighted(4);
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        Set<Endpoint> excluded = Set.of(endpoints.get(1), endpoints.get(3));
        for (int i = 0; i < 100 * endpoints.size(); i++) {
            assertThat(selector.select(REQUEST, excluded)).isIn(endpoints.get(0), endpoints.get(2));
        }
    }

    @Test
    public void selectsTheOneEndpointLeftWhenAllOthersAreExcluded() {
        List<Endpoint> endpoints = weighted(3);
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        for (Endpoint left : endpoints) {
            Set<Endpoint> excluded = new HashSet<>(endpoints);
            excluded.remove(left);
            for (int i = 0; i < 10; i++) {
                assertThat(selector.select(REQUEST, excluded)).isEqualTo(left);
            }
        }
    }

    @Test
    public void selectsNothingWhenEveryEndpointIsExcluded() {
        List<Endpoint> endpoints = weighted(3);
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        for (int i = 0; i < 10; i++) {
            assertThat(selector.select(REQUEST, Set.copyOf(endpoints))).isNull();
        }
        assertThat(selector.select(REQUEST)).isIn(endpoints);
    }

    @Test
    public void keepsItsEndpointsWhenTheGivenListChangesAfterwards() {
        List<Endpoint> endpoints = new ArrayList<>(weighted(3));
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        endpoints.clear();
        endpoints.add(Endpoint.of("http://127.0.0.1:9999"));
        for (int i = 0; i < 30; i++) {
            assertThat(selector.select(REQUEST)).isIn(weighted(3));
        }
    }

    @Test
    public void selectsSafelyFromSeveralThreads() throws Exception {
        List<Endpoint> endpoints = weighted(4);
        EndpointSelector selector = loadBalancer().newSelector(endpoints);
        Set<Endpoint> excluded = Set.of(endpoints.get(0));
        int threads = 4;
        int picksPerThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<@Nullable Endpoint, Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean excluding = t % 2 == 1;
                Callable<Map<@Nullable Endpoint, Integer>> picker = () -> {
                    Map<@Nullable Endpoint, Integer> counts = new HashMap<>();
                    start.await();
                    for (int i = 0; i < picksPerThread; i++) {
                        Endpoint picked = excluding ? selector.select(REQUEST, excluded) : selector.select(REQUEST);
                        if (excluding && excluded.contains(picked)) {
                            throw new AssertionError("selected excluded " + picked);
                        }
                        counts.merge(picked, 1, Integer::sum);
                    }
                    return counts;
                };
                results.add(pool.submit(picker));
            }
            start.countDown();
            Map<@Nullable Endpoint, Integer> total = new HashMap<>();
            for (Future<Map<@Nullable Endpoint, Integer>> result : results) {
                result.get(1, TimeUnit.MINUTES).forEach((endpoint, count) -> total.merge(endpoint, count, Integer::sum));
            }
            assertThat(total.keySet()).isSubsetOf(endpoints);
            assertThat(total.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * picksPerThread);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Endpoint> endpoints(int count) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(Endpoint.of("http://127.0.0.1:" + (9001 + i)));
        }
        return endpoints;
    }

    /** Weights 1, 2, 3, ... */
    private static List<Endpoint> weighted(int count) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(Endpoint.of("http://127.0.0.1:" + (9001 + i), i + 1));
        }
        return endpoints;
    }

    private static List<Endpoint> mixedWeights() {
        return List.of(
                Endpoint.of("http://10.0.0.1:8080", 1),
                Endpoint.of("https://10.0.0.2", 7),
                Endpoint.of("http://[::1]:8080", 1000));
    }
}
