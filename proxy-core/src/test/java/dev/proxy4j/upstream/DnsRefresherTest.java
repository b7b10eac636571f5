package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class DnsRefresherTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final FakeTicker ticker = new FakeTicker();
    private final ManualTimer timer = new ManualTimer();
    private final FakeResolver resolver = new FakeResolver();

    private Upstream upstream(DnsResolution.Builder resolution) {
        return upstream(resolution, resolver);
    }

    private Upstream upstream(DnsResolution.Builder resolution, Resolver resolver) {
        return Upstream.builder().name("api").ticker(ticker)
                .endpoint("http://backends.test:8080", 3)
                .endpoint("http://10.9.9.9:8080")
                .resolve(resolution.interval(INTERVAL).resolver(resolver).build())
                .build();
    }

    @Test
    void eachAddressOfTheNameIsAnEndpointWithTheNamesUriAndWeight() throws Exception {
        Upstream upstream = upstream(DnsResolution.builder());
        assertThat(upstream.resolvedNames()).containsExactly(Endpoint.of("http://backends.test:8080", 3));
        assertThat(upstream.endpoints()).as("the IP literal stays; the name waits for its answer")
                .containsExactly(Endpoint.of("http://10.9.9.9:8080"));
        resolver.answer("127.0.0.2", "127.0.0.3");

        new DnsRefresher(upstream, host -> { throw new AssertionError("the upstream's own resolver is used"); }, timer)
                .start();

        assertThat(resolver.asked).containsExactly("backends.test");
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"),
                resolved("127.0.0.2"), resolved("127.0.0.3"));
        Endpoint first = upstream.endpoints().get(1);
        assertThat(first.host()).isEqualTo("backends.test");
        assertThat(first.authority()).isEqualTo("backends.test:8080");
        assertThat(first.weight()).isEqualTo(3);
        assertThat(first.resolvedAddress()).contains(InetAddress.getByName("127.0.0.2"));
        assertThat(first).hasToString("http://backends.test:8080 (127.0.0.2)");
    }

    @Test
    void looksUpAgainAnIntervalAfterEachAnswerAddingNewAddressesAndDrainingGoneOnes() {
        Upstream upstream = upstream(DnsResolution.builder());
        resolver.answer("127.0.0.2", "127.0.0.3");
        new DnsRefresher(upstream, resolver, timer).start();
        // A request in flight on 127.0.0.2 when it leaves the answer.
        Selection inFlight = upstream.select(Picks.CTX, Picks.REQUEST, java.util.Set.of(
                Endpoint.of("http://10.9.9.9:8080"), resolved("127.0.0.3"))).orElseThrow();
        assertThat(inFlight.endpoint()).isEqualTo(resolved("127.0.0.2"));

        resolver.answer("127.0.0.3", "127.0.0.4");
        timer.advance(INTERVAL.minusMillis(1));
        assertThat(resolver.asked).hasSize(1);
        timer.advance(Duration.ofMillis(1));
        assertThat(resolver.asked).hasSize(2);

        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"),
                resolved("127.0.0.2"), resolved("127.0.0.3"), resolved("127.0.0.4"));
        assertThat(upstream.group().state(resolved("127.0.0.2")).orElseThrow().isDraining())
                .as("gone from the answer: drained, its request in flight finishes").isTrue();
        assertThat(upstream.group().snapshot().selectable()).extracting(EndpointState::endpoint)
                .doesNotContain(resolved("127.0.0.2"));

        inFlight.complete(Outcome.response(200, 1));
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"),
                resolved("127.0.0.3"), resolved("127.0.0.4"));
    }

    @Test
    void aFailedLookupKeepsTheLastKnownAddressesAndBacksOffUpToTheBound() {
        Upstream upstream = upstream(DnsResolution.builder().maxFailureInterval(Duration.ofSeconds(12)));
        resolver.answer("127.0.0.2");
        new DnsRefresher(upstream, resolver, timer).start();

        resolver.fail(new UnknownHostException("backends.test"));
        List<Long> askedAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long before = resolver.asked.size();
            while (resolver.asked.size() == before) {
                timer.advance(Duration.ofMillis(100));
            }
            askedAt.add(ticker.nanos());
            assertThat(upstream.endpoints()).as("the last known set, after failure " + (i + 1))
                    .containsExactly(Endpoint.of("http://10.9.9.9:8080"), resolved("127.0.0.2"));
        }
        // 5 s after the answer, then 10 s (5 doubled), then 12 s (the bound), and 12 s again.
        assertThat(gaps(askedAt)).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(12));

        resolver.answer("127.0.0.5");
        timer.advance(Duration.ofSeconds(12));
        assertThat(upstream.endpoints()).as("127.0.0.2 drained at once: no request was on it")
                .containsExactly(Endpoint.of("http://10.9.9.9:8080"), resolved("127.0.0.5"));
        long asked = resolver.asked.size();
        timer.advance(INTERVAL);
        assertThat(resolver.asked).as("back to the interval once it answers").hasSize((int) asked + 1);
    }

    @Test
    void anEmptyAnswerKeepsTheAddressesByDefaultAndDrainsThemWhenSoConfigured() {
        Upstream keeping = upstream(DnsResolution.builder());
        resolver.answer("127.0.0.2");
        new DnsRefresher(keeping, resolver, timer).start();
        resolver.answer();
        timer.advance(INTERVAL);
        assertThat(keeping.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"), resolved("127.0.0.2"));

        Upstream removing = upstream(DnsResolution.builder().onEmpty(DnsResolution.OnEmpty.REMOVE));
        resolver.answer("127.0.0.2");
        new DnsRefresher(removing, resolver, timer).start();
        resolver.answer();
        timer.advance(INTERVAL);
        assertThat(removing.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"));
    }

    @Test
    void anAddressThatComesBackIsAddedAgainAndDuplicatesInAnAnswerCountOnce() {
        Upstream upstream = upstream(DnsResolution.builder());
        resolver.answer("127.0.0.2", "127.0.0.2", "127.0.0.3");
        new DnsRefresher(upstream, resolver, timer).start();
        assertThat(upstream.endpoints()).hasSize(3);

        resolver.answer("127.0.0.3");
        timer.advance(INTERVAL);
        resolver.answer("127.0.0.3", "127.0.0.2");
        timer.advance(INTERVAL);
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"),
                resolved("127.0.0.3"), resolved("127.0.0.2"));
    }

    @Test
    void stoppedItLooksNothingUpAndAnAnswerStillToComeChangesNothing() {
        CompletableFuture<List<InetAddress>> late = new CompletableFuture<>();
        Upstream upstream = upstream(DnsResolution.builder(), host -> late);
        DnsRefresher refresher = new DnsRefresher(upstream, resolver, timer);
        refresher.start();
        refresher.stop();
        late.complete(List.of(address("127.0.0.2")));
        timer.advance(INTERVAL.multipliedBy(3));
        assertThat(upstream.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"));
        assertThat(timer.pending()).isZero();
    }

    @Test
    void theFirstStageCompletesOnceEachNameHadItsFirstAnswerOrFailure() {
        CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();
        Upstream upstream = upstream(DnsResolution.builder(), host -> answer);
        CompletionStage<Void> first = new DnsRefresher(upstream, resolver, timer).start();
        assertThat(first.toCompletableFuture()).isNotDone();
        answer.completeExceptionally(new UnknownHostException("backends.test"));
        assertThat(first.toCompletableFuture()).isCompleted();
    }

    @Test
    void theUpstreamsCopyResolvesTheNamesAgainRatherThanCopyingTheAddresses() {
        Upstream upstream = upstream(DnsResolution.builder());
        resolver.answer("127.0.0.2");
        new DnsRefresher(upstream, resolver, timer).start();

        Upstream copy = upstream.toBuilder().build();
        assertThat(copy.resolvedNames()).containsExactly(Endpoint.of("http://backends.test:8080", 3));
        assertThat(copy.endpoints()).containsExactly(Endpoint.of("http://10.9.9.9:8080"));
        assertThat(Upstream.builder().endpoint("http://backends.test:8080").build().resolvedNames())
                .as("without resolve(), a name is connected to by name").isEmpty();
    }

    @Test
    void aReplacingUpstreamStartsWithTheAddressesTheOldOneKnew() {
        Upstream old = upstream(DnsResolution.builder());
        resolver.answer("127.0.0.2", "127.0.0.3");
        new DnsRefresher(old, resolver, timer).start();
        Upstream next = Upstream.builder().name("api").endpoint("http://backends.test:8080", 5)
                .endpoint("http://other.test:8080")
                .resolve(DnsResolution.builder().resolver(resolver).build()).build();

        int seeded = new DnsRefresher(next, resolver, timer).seedFrom(old);

        assertThat(seeded).isEqualTo(2);
        Endpoint template = Endpoint.of("http://backends.test:8080", 5);
        assertThat(next.endpoints()).containsExactly(template.withAddress(address("127.0.0.2")),
                template.withAddress(address("127.0.0.3")));
    }

    @Test
    void policyDelaysAndBounds() {
        DnsResolution r = DnsResolution.builder().interval(Duration.ofSeconds(2))
                .maxFailureInterval(Duration.ofSeconds(7)).build();
        assertThat(List.of(r.nextDelay(0), r.nextDelay(1), r.nextDelay(2), r.nextDelay(40)))
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(7),
                        Duration.ofSeconds(7));
        assertThat(DnsResolution.defaults().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(DnsResolution.defaults().maxFailureInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DnsResolution.builder().interval(Duration.ofMinutes(1)).build().maxFailureInterval())
                .as("only the interval raised: failures wait the interval").isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> DnsResolution.builder().interval(Duration.ofMillis(10)))
                .hasMessage("interval: PT0.01S (expected: 100ms..1d)");
        assertThatThrownBy(() -> DnsResolution.builder().maxFailureInterval(Duration.ofDays(2)))
                .hasMessage("maxFailureInterval: PT48H (expected: 100ms..1d)");
        assertThatThrownBy(() -> DnsResolution.builder().interval(Duration.ofSeconds(10))
                .maxFailureInterval(Duration.ofSeconds(3)).build())
                .hasMessage("maxFailureInterval: PT3S (expected: >= interval PT10S)");
    }

    @Test
    void tellsIpLiteralsFromNamesByTheirText() {
        assertThat(Endpoint.of("http://10.0.0.1:80").hasIpLiteralHost()).isTrue();
        assertThat(Endpoint.of("http://[::1]:80").hasIpLiteralHost()).isTrue();
        assertThat(Endpoint.of("http://backends.test:80").hasIpLiteralHost()).isFalse();
        assertThat(Endpoint.of("http://1.2.3.4.example:80").hasIpLiteralHost()).isFalse();
    }

    private static List<Duration> gaps(List<Long> nanos) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < nanos.size() - 1; i++) {
            gaps.add(Duration.ofNanos(nanos.get(i) - nanos.get(i - 1)));
        }
        return gaps;
    }

    private static Endpoint resolved(String ip) {
        return Endpoint.of("http://backends.test:8080", 3).withAddress(address(ip));
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Answers each lookup at once with what the test set last. */
    private static final class FakeResolver implements Resolver {
        final List<String> asked = new ArrayList<>();
        private List<InetAddress> addresses = List.of();
        private Throwable failure;

        void answer(String... ips) {
            List<InetAddress> list = new ArrayList<>();
            for (String ip : ips) {
                list.add(address(ip));
            }
            addresses = list;
            failure = null;
        }

        void fail(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public CompletionStage<List<InetAddress>> resolve(String host) {
            asked.add(host);
            return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(addresses);
        }
    }

    private final class ManualTimer implements DnsRefresher.Timer {
        private final Queue<Task> tasks = new ArrayDeque<>();
        private long order;

        private record Task(long dueNanos, long order, Runnable run) {
        }

        @Override
        public void schedule(Duration delay, Runnable task) {
            if (delay.isNegative()) {
                throw new RejectedExecutionException("negative delay");
            }
            tasks.add(new Task(ticker.nanos() + delay.toNanos(), order++, task));
        }

        int pending() {
            return tasks.size();
        }

        void advance(Duration by) {
            long end = ticker.nanos() + by.toNanos();
            for (;;) {
                Task next = tasks.stream().filter(t -> t.dueNanos() <= end)
                        .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                ticker.advance(Duration.ofNanos(Math.max(0, next.dueNanos() - ticker.nanos())));
                next.run().run();
            }
            ticker.advance(Duration.ofNanos(end - ticker.nanos()));
        }
    }
}
