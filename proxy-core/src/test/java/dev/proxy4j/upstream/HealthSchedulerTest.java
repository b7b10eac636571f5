package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.EndpointState.Health;
import dev.proxy4j.upstream.HealthScheduler.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class HealthSchedulerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final FakeTicker ticker = new FakeTicker();
    private final ManualTimer timer = new ManualTimer();
    private final List<Probe> probes = new ArrayList<>();
    private final Upstream upstream = Upstream.builder().name("api").ticker(ticker)
            .endpoint("http://a:1").endpoint("http://b:1")
            .healthCheck(HealthCheck.builder("/health").interval(INTERVAL).rise(2).fall(2).build())
            .build();
    private final HealthScheduler scheduler = new HealthScheduler(upstream,
            (endpoint, check) -> {
                Probe probe = new Probe(endpoint.host(), ticker.nanos(), new CompletableFuture<>());
                probes.add(probe);
                return probe.answer;
            }, timer, new SplittableRandom(1));

    private record Probe(String host, long atNanos, CompletableFuture<Answer> answer) {
    }

    @Test
    void checksEachEndpointSoonAfterStartThenAnIntervalLessTheJitterAfterEachAnswer() {
        scheduler.start();
        timer.advance(Duration.ofMillis(100));
        assertThat(probes).extracting(Probe::host).containsExactlyInAnyOrder("a", "b");

        Probe first = probes.get(0);
        long answeredAt = ticker.nanos();
        first.answer.complete(Answer.status(200));
        timer.advance(Duration.ofMillis(899));
        assertThat(probes).hasSize(2);
        timer.advance(Duration.ofMillis(101));
        assertThat(probes).hasSize(3);
        assertThat(probes.get(2).host()).isEqualTo(first.host());
        assertThat(probes.get(2).atNanos() - answeredAt).isBetween(Duration.ofMillis(900).toNanos(), INTERVAL.toNanos());
    }

    @Test
    void neverOverlapsTheChecksOfOneEndpoint() {
        scheduler.start();
        timer.advance(Duration.ofMillis(100));

        timer.advance(Duration.ofSeconds(10));

        assertThat(probes).hasSize(2);
        probes.get(0).answer.complete(Answer.failed("timed out after 1000ms"));
        timer.advance(INTERVAL);
        assertThat(probes).hasSize(3);
    }

    @Test
    void takesAnEndpointOutAfterFallFailedChecksAndBackAfterRisePassedOnes() {
        scheduler.start();
        EndpointState a = upstream.group().snapshot().members().get(0);
        answerEveryCheckOf("a", Answer.status(200), 1);
        answerEveryCheckOf("a", Answer.status(503), 2);
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(upstream.group().snapshot().selectable()).extracting(s -> s.endpoint().host()).containsExactly("b");

        answerEveryCheckOf("a", Answer.status(200), 2);
        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        assertThat(a.lastHealthCheck()).contains("passed: status 200");
    }

    @Test
    void aCheckThatCannotBeSentFailsAndTheChainGoesOn() {
        HealthScheduler throwing = new HealthScheduler(upstream, (endpoint, check) -> {
            throw new IllegalStateException("client stopped");
        }, timer, new SplittableRandom(1));
        throwing.start();
        timer.advance(Duration.ofMillis(100));
        timer.advance(INTERVAL);

        assertThat(upstream.group().snapshot().members()).allSatisfy(m -> {
            assertThat(m.health()).isEqualTo(Health.UNHEALTHY);
            assertThat(m.lastHealthCheck()).contains("failed: not sent: IllegalStateException");
        });
        assertThat(throwing.checkedMembers()).isEqualTo(2);
    }

    @Test
    void startsAChainForAMemberThatJoinsAndEndsTheChainOfOneThatLeft() {
        scheduler.start();
        timer.advance(Duration.ofMillis(100));
        upstream.group().add(Endpoint.of("http://c:1"));
        upstream.group().remove(Endpoint.of("http://a:1"));
        assertThat(scheduler.checkedMembers()).isEqualTo(3);

        probes.forEach(p -> p.answer.complete(Answer.status(200)));
        timer.advance(INTERVAL);

        assertThat(probes).extracting(Probe::host).containsExactlyInAnyOrder("a", "b", "c", "b");
        assertThat(scheduler.checkedMembers()).isEqualTo(2);
    }

    @Test
    void sendsNothingOnceStopped() {
        scheduler.start();
        timer.advance(Duration.ofMillis(100));
        scheduler.stop();
        probes.forEach(p -> p.answer.complete(Answer.status(500)));

        timer.advance(Duration.ofSeconds(10));

        assertThat(probes).hasSize(2);
        assertThat(upstream.group().snapshot().members()).allSatisfy(m -> assertThat(m.health()).isEqualTo(Health.HEALTHY));
        assertThat(timer.pending()).isZero();
    }

    @Test
    void endsTheChainsWhenTheTimerStops() {
        scheduler.start();
        timer.advance(Duration.ofMillis(100));
        timer.stopped = true;

        probes.forEach(p -> p.answer.complete(Answer.status(200)));

        assertThat(scheduler.checkedMembers()).isZero();
    }

    @Test
    void sweepsTheOutlierDetectorEveryDetectionInterval() {
        Upstream ejecting = Upstream.builder().ticker(ticker).endpoint("http://a:1").endpoint("http://b:1")
                .outlierDetection(OutlierDetection.defaults().withInterval(Duration.ofSeconds(10))).build();
        new HealthScheduler(ejecting, (e, c) -> {
            throw new AssertionError("no active check configured");
        }, timer, new SplittableRandom(1)).start();
        for (int i = 0; i < 5; i++) {
            ejecting.select(Picks.CTX, Picks.REQUEST, java.util.Set.of(Endpoint.of("http://b:1"))).orElseThrow()
                    .complete(Outcome.response(500, 0));
        }
        assertThat(ejecting.endpointStatuses().get(0).ejected()).isTrue();

        timer.advance(Duration.ofSeconds(29));
        assertThat(ejecting.endpointStatuses().get(0).ejected()).isTrue();
        timer.advance(Duration.ofSeconds(1));
        assertThat(ejecting.endpointStatuses().get(0).ejected()).isFalse();
        assertThat(probes).isEmpty();
    }

    @Test
    void aTcpCheckTakesAnEndpointOutAfterFallRefusedConnectsAndBackAfterRiseConnectsWithinFallTimesTheInterval() {
        Upstream tcp = Upstream.builder().name("db").ticker(ticker).endpoint("http://a:1").endpoint("http://b:1")
                .healthCheck(HealthCheck.tcpBuilder().interval(INTERVAL).rise(2).fall(3).build()).build();
        List<HealthCheck.Type> sent = new ArrayList<>();
        HealthScheduler checks = new HealthScheduler(tcp, (endpoint, check) -> {
            sent.add(check.type());
            Probe probe = new Probe(endpoint.host(), ticker.nanos(), new CompletableFuture<>());
            probes.add(probe);
            return probe.answer;
        }, timer, new SplittableRandom(7));
        checks.start();
        EndpointState a = tcp.group().snapshot().members().get(0);
        answerEveryCheckOf("a", Answer.connected(), 1);
        assertThat(a.lastHealthCheck()).contains("passed: connected");

        long downFrom = ticker.nanos();
        answerEveryCheckOf("a", Answer.failed("connection refused"), 2);
        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        answerEveryCheckOf("a", Answer.failed("connection refused"), 1);
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        assertThat(ticker.nanos() - downFrom).isLessThanOrEqualTo(3 * INTERVAL.toNanos());
        assertThat(a.lastHealthCheck()).contains("failed: connection refused");
        assertThat(tcp.group().snapshot().selectable()).extracting(s -> s.endpoint().host()).containsExactly("b");

        answerEveryCheckOf("a", Answer.connected(), 1);
        assertThat(a.health()).isEqualTo(Health.UNHEALTHY);
        answerEveryCheckOf("a", Answer.connected(), 1);
        assertThat(a.health()).isEqualTo(Health.HEALTHY);
        assertThat(sent).containsOnly(HealthCheck.Type.TCP);
    }

    @Test
    void anHttpCheckAnswerWithNoStatusFailsWhereATcpCheckPasses() {
        HealthChecker http = new HealthChecker(upstream);
        HealthChecker tcp = new HealthChecker(upstream, HealthCheck.tcp());
        EndpointState a = upstream.group().snapshot().members().get(0);

        assertThat(http.report(a, 0, null)).isFalse();
        assertThat(tcp.report(a, 0, null)).isTrue();
        assertThat(tcp.report(a, 0, "timed out after 1000ms")).isFalse();
    }

    @Test
    void runsTheChecksOfAnUpstreamReachedOnlyByRawTcpAsTcpConnectsWithTheirTiming() {
        List<HealthCheck> sent = new ArrayList<>();
        HealthScheduler checks = new HealthScheduler(upstream, true, (endpoint, check) -> {
            sent.add(check);
            return new CompletableFuture<>();
        }, timer, new SplittableRandom(3));

        checks.start();
        timer.advance(Duration.ofMillis(100));

        HealthCheck expected = HealthCheck.tcpBuilder().interval(INTERVAL).rise(2).fall(2).build();
        assertThat(sent).hasSize(2).containsOnly(expected);
        assertThat(checks.check()).contains(expected);
        assertThat(HealthScheduler.checkFor(upstream, false)).isEqualTo(upstream.healthCheck());
        assertThat(HealthScheduler.checkFor(Upstream.of("http://c:1"), true)).isEmpty();
    }

    /** Answers {@code times} checks of {@code host} with {@code answer}, moving time on for each. */
    private void answerEveryCheckOf(String host, Answer answer, int times) {
        for (int i = 0; i < times; i++) {
            Probe probe = awaitProbe(host);
            probe.answer.complete(answer);
        }
    }

    private Probe awaitProbe(String host) {
        for (int step = 0; step < 100; step++) {
            for (Probe probe : probes) {
                if (probe.host().equals(host) && !probe.answer.isDone()) {
                    return probe;
                }
            }
            timer.advance(Duration.ofMillis(100));
        }
        throw new AssertionError("no check of " + host + " in 10 s: " + probes);
    }

    /** Runs scheduled tasks as the fake ticker passes their time. */
    private final class ManualTimer implements HealthScheduler.Timer {
        private final List<Task> tasks = new ArrayList<>();
        boolean stopped;

        private record Task(long dueNanos, long order, Runnable run) {
        }

        private long order;

        @Override
        public void schedule(Duration delay, Runnable task) {
            if (stopped) {
                throw new RejectedExecutionException("stopped");
            }
            tasks.add(new Task(ticker.nanos() + delay.toNanos(), order++, task));
        }

        int pending() {
            return tasks.size();
        }

        /** Moves time on by {@code by}, running each task when its time comes, in order. */
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
