package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.EndpointSelector;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.LoadBalancer;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>It covers fixed and changing groups: members added, removed and drained while selections run
 * (never a removed or draining member once the change has returned, never nothing while a member is
 * selectable), and unhealthy members left out while another is healthy.
 *
 * <p>Every selection gets a request and a context of its own (path, query parameter {@code k},
 * header {@code X-Contract-Key}, cookie {@code k}, client address), so that a balancer keyed on
 * the request is held to the same rules over many keys.
 *
 * <p>The class and its tests are public because subclasses live in other packages.
 */
public abstract class LoadBalancerContract {

    private static final EventLoop DIRECT = new EventLoop() {
        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException("selectors get no timer in the contract");
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };
    private static final AtomicInteger PICKS = new AtomicInteger();

    /** The load balancer under test. Called once per test. */
    protected abstract LoadBalancer loadBalancer();

    @Test
    public void selectsNothingFromAnEmptyGroupAndTheFirstMemberOnceAdded() {
        EndpointGroup group = EndpointGroup.of(List.of());
        EndpointSelector selector = loadBalancer().newSelector(group);
        assertThat(select(selector, Set.of())).isNull();
        Endpoint added = Endpoint.of("http://127.0.0.1:9001");
        group.add(added);
        assertThat(select(selector, Set.of())).isEqualTo(added);
    }

    @Test
    public void selectsOnlyEndpointsItWasGiven() {
        LoadBalancer loadBalancer = loadBalancer();
        for (List<Endpoint> endpoints : List.of(endpoints(1), endpoints(2), endpoints(5), weighted(3), mixedWeights())) {
            EndpointSelector selector = loadBalancer.newSelector(EndpointGroup.of(endpoints));
            for (int i = 0; i < 100 * endpoints.size(); i++) {
                assertThat(select(selector, Set.of())).isIn(endpoints);
                assertThat(select(selector, Set.of())).isIn(endpoints);
            }
        }
    }

    @Test
    public void choosesEveryEndpointWithinAHundredPicksEachWhenWeightsAreEqual() {
        List<Endpoint> endpoints = endpoints(5);
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
        Set<Endpoint> chosen = new HashSet<>();
        for (int i = 0; i < 100 * endpoints.size(); i++) {
            chosen.add(select(selector, Set.of()));
        }
        assertThat(chosen).containsExactlyInAnyOrderElementsOf(endpoints);
    }

    @Test
    public void neverSelectsAnExcludedEndpoint() {
        List<Endpoint> endpoints = weighted(4);
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
        Set<Endpoint> excluded = Set.of(endpoints.get(1), endpoints.get(3));
        for (int i = 0; i < 100 * endpoints.size(); i++) {
            assertThat(select(selector, excluded)).isIn(endpoints.get(0), endpoints.get(2));
        }
    }

    @Test
    public void selectsTheOneEndpointLeftWhenAllOthersAreExcluded() {
        List<Endpoint> endpoints = weighted(3);
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
        for (Endpoint left : endpoints) {
            Set<Endpoint> excluded = new HashSet<>(endpoints);
            excluded.remove(left);
            for (int i = 0; i < 10; i++) {
                assertThat(select(selector, excluded)).isEqualTo(left);
            }
        }
    }

    @Test
    public void selectsNothingWhenEveryEndpointIsExcluded() {
        List<Endpoint> endpoints = weighted(3);
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
        for (int i = 0; i < 10; i++) {
            assertThat(select(selector, Set.copyOf(endpoints))).isNull();
        }
        assertThat(select(selector, Set.of())).isIn(endpoints);
    }

    @Test
    public void neverSelectsARemovedOrDrainingEndpointAfterTheChange() {
        List<Endpoint> endpoints = weighted(4);
        EndpointGroup group = EndpointGroup.of(endpoints);
        EndpointSelector selector = loadBalancer().newSelector(group);
        for (int i = 0; i < 20; i++) {
            select(selector, Set.of());
        }
        group.remove(endpoints.get(1));
        group.drain(endpoints.get(3));
        for (int i = 0; i < 100; i++) {
            assertThat(select(selector, Set.of())).isIn(endpoints.get(0), endpoints.get(2));
        }
        Endpoint added = Endpoint.of("http://127.0.0.1:9101", 2);
        group.add(added);
        Set<Endpoint> chosen = new HashSet<>();
        // 1,000 picks: under a slow start the newcomer has a small share at first (10% of its weight:
        // about 1 pick in 20 here), which 100 picks missed about one run in 130.
        for (int i = 0; i < 1000; i++) {
            chosen.add(select(selector, Set.of()));
        }
        assertThat(chosen).containsExactlyInAnyOrder(endpoints.get(0), endpoints.get(2), added);
    }

    @Test
    public void leavesOutUnhealthyEndpointsWhileAnotherIsHealthy() {
        List<Endpoint> endpoints = weighted(3);
        EndpointGroup group = EndpointGroup.of(endpoints);
        EndpointSelector selector = loadBalancer().newSelector(group);
        group.setHealth(endpoints.get(0), EndpointState.Health.UNHEALTHY);
        for (int i = 0; i < 100; i++) {
            assertThat(select(selector, Set.of())).isIn(endpoints.get(1), endpoints.get(2));
        }
    }

    @Test
    public void selectsNothingWhenEveryMemberIsDraining() {
        List<Endpoint> endpoints = weighted(2);
        EndpointGroup group = EndpointGroup.of(endpoints);
        EndpointSelector selector = loadBalancer().newSelector(group);
        group.drain(endpoints.get(0));
        group.drain(endpoints.get(1));
        assertThat(select(selector, Set.of())).isNull();
    }

    @Test
    public void keepsToTheRulesWhileMembersChangeDuringSelection() throws Exception {
        Endpoint stable = Endpoint.of("http://127.0.0.1:9001", 2);
        Endpoint removed = Endpoint.of("http://127.0.0.1:9002", 3);
        Endpoint drained = Endpoint.of("http://127.0.0.1:9003");
        EndpointGroup group = EndpointGroup.of(List.of(stable, removed, drained));
        EndpointSelector selector = loadBalancer().newSelector(group);
        int threads = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> pickers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                pickers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10_000; i++) {
                        boolean removedBefore = group.state(removed).isEmpty();
                        // Drained as of the published snapshot: drain() sets the flag just before publishing.
                        boolean drainingBefore = group.snapshot().selectable().stream()
                                .noneMatch(member -> member.endpoint().equals(drained));
                        Endpoint picked = select(selector, Set.of());
                        if (picked == null) {
                            throw new AssertionError("selected nothing while " + stable + " was selectable");
                        }
                        if ((removedBefore && picked.equals(removed)) || (drainingBefore && picked.equals(drained))) {
                            throw new AssertionError("selected " + picked + " after it was removed or drained");
                        }
                    }
                    return null;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 1_000; i++) {
                    Endpoint churn = Endpoint.of("http://127.0.0.1:" + (9200 + i % 7), 1 + i % 5);
                    group.add(churn);
                    group.setWeight(stable, 1 + i % 9);
                    if (i % 2 == 0) {
                        group.remove(churn);
                    } else {
                        group.drain(churn);
                    }
                }
                group.remove(removed);
                group.drain(drained);
                return null;
            });
            start.countDown();
            writer.get(1, TimeUnit.MINUTES);
            for (Future<?> picker : pickers) {
                picker.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void keepsItsEndpointsWhenTheGivenListChangesAfterwards() {
        List<Endpoint> endpoints = new ArrayList<>(weighted(3));
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
        endpoints.clear();
        endpoints.add(Endpoint.of("http://127.0.0.1:9999"));
        for (int i = 0; i < 30; i++) {
            assertThat(select(selector, Set.of())).isIn(weighted(3));
        }
    }

    @Test
    public void selectsSafelyFromSeveralThreads() throws Exception {
        List<Endpoint> endpoints = weighted(4);
        EndpointSelector selector = loadBalancer().newSelector(EndpointGroup.of(endpoints));
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
                        Endpoint picked = excluding ? select(selector, excluded) : select(selector, Set.of());
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

    /**
     * One selection, as an endpoint. Each one's request and context differ from the last (path,
     * query parameter {@code k}, header {@code X-Contract-Key}, cookie {@code k}, client address),
     * so that balancers keyed on the request are held to the rules over many keys.
     */
    private static @Nullable Endpoint select(EndpointSelector selector, Set<Endpoint> excluded) {
        int n = PICKS.incrementAndGet();
        ProxyRequest request = ProxyRequest.builder().method("GET").pathAndQuery("/contract/" + n + "?k=" + n)
                .headers(Headers.of("X-Contract-Key", "key-" + n, "Cookie", "k=" + n)).build();
        RequestContext ctx = RequestContext.builder().requestId("contract-" + n).eventLoop(DIRECT)
                .blockingExecutor(Runnable::run).peerAddress("10.9." + (n >> 8 & 0xFF) + '.' + (n & 0xFF)).build();
        EndpointState picked = selector.select(ctx, request, excluded);
        return picked == null ? null : picked.endpoint();
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
