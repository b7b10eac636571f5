package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.route.HostHeader;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.DnsResolution;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Resolver;
import dev.proxy4j.upstream.Upstream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream named by a made-up host name, {@code backends.test}, whose answers an in-process
 * resolver gives and the test changes while requests flow: the proxy follows them, moving traffic
 * from 127.0.0.2 to 127.0.0.3 (two real backends on one port; all of 127/8 is loopback) with no
 * failed request, keeps the last addresses when the lookup fails, and sends the name as the Host.
 */
class DnsResolutionEndToEndTest {

    private static final String NAME = "backends.test";

    private final List<FakeBackend> backends = new ArrayList<>();
    private final AtomicReference<List<InetAddress>> answer = new AtomicReference<>(List.of());
    private final AtomicBoolean failing = new AtomicBoolean();
    /** Lookups that never answer. */
    private final AtomicBoolean holding = new AtomicBoolean();
    private final AtomicInteger lookups = new AtomicInteger();
    private final Map<String, Boolean> lookupThreads = new ConcurrentHashMap<>();
    private ProxyServer proxy;

    private final Resolver resolver = host -> {
        lookups.incrementAndGet();
        lookupThreads.put(Thread.currentThread().getName(), Boolean.TRUE);
        if (holding.get()) {
            return new CompletableFuture<>();
        }
        if (failing.get() || !host.equals(NAME)) {
            return CompletableFuture.failedFuture(new UnknownHostException(host));
        }
        return CompletableFuture.completedFuture(answer.get());
    };

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop();
        }
        backends.forEach(FakeBackend::stop);
    }

    @Test
    void followsTheAnswersWithTrafficFlowingAndNoFailedRequest() throws Exception {
        FakeBackend two = backend("127.0.0.2", 0, "two");
        FakeBackend three = backend("127.0.0.3", two.port(), "three");
        answer.set(List.of(address("127.0.0.2")));
        Upstream upstream = Upstream.builder().name("api").endpoint("http://" + NAME + ":" + two.port())
                .resolve(DnsResolution.builder().interval(Duration.ofMillis(100)).resolver(resolver).build())
                .build();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").hostHeader(HostHeader.UPSTREAM).upstream(upstream))
                .build().start();
        Upstream running = proxy.upstream("api").orElseThrow();
        assertThat(running.endpoints()).as("start waited for the first answer")
                .extracting(Endpoint::toString).containsExactly("http://" + NAME + ":" + two.port() + " (127.0.0.2)");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/first")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.body()).isEqualTo("two");
        assertThat(two.takeRequest().header("Host")).as("the name, not the address")
                .isEqualTo(NAME + ":" + two.port());

        Load load = new Load(client, proxy.uri().resolve("/load"));
        load.start(2);
        try {
            awaitTrue(() -> load.answered.get() >= 20, "traffic flows");

            answer.set(List.of(address("127.0.0.2"), address("127.0.0.3")));
            awaitTrue(() -> load.bodies.getOrDefault("three", 0) >= 20, "traffic reaches the added address");

            answer.set(List.of(address("127.0.0.3")));
            awaitTrue(() -> running.endpoints().size() == 1, "127.0.0.2 drained out");
            // Counted where requests arrive: a response still on its way to a client is not a new request.
            int twoAfterDrain = two.requestCount();
            int answeredAfterDrain = load.answered.get();
            awaitTrue(() -> load.answered.get() >= answeredAfterDrain + 50, "traffic after the drain");
            assertThat(two.requestCount()).as("nothing goes to the address gone from the answer")
                    .isEqualTo(twoAfterDrain);

            failing.set(true);
            int lookupsBefore = lookups.get();
            awaitTrue(() -> lookups.get() >= lookupsBefore + 3, "lookups that fail");
            int answeredWhileFailing = load.answered.get();
            awaitTrue(() -> load.answered.get() >= answeredWhileFailing + 50, "traffic while lookups fail");
            assertThat(running.endpoints()).as("the last known set is kept")
                    .extracting(Endpoint::toString).containsExactly("http://" + NAME + ":" + two.port() + " (127.0.0.3)");
        } finally {
            load.stop();
        }
        assertThat(load.failures).as("failed requests (status or exception)").isEmpty();
        assertThat(load.bodies.keySet()).containsExactlyInAnyOrder("two", "three");
        String testThread = Thread.currentThread().getName();
        assertThat(lookupThreads.keySet()).as("the lookups ran at start and then on the proxy's scheduler, never on"
                        + " its event loops (proxy4j-N)")
                .allSatisfy(thread -> assertThat(thread.equals(testThread) || thread.startsWith("proxy4j-scheduler"))
                        .as(thread).isTrue());
    }

    @Test
    void healthChecksProbeEachAddressAndAFailingOneLeavesRotation() throws Exception {
        FakeBackend two = backend("127.0.0.2", 0, "two");
        FakeBackend three = backend("127.0.0.3", two.port(), "three");
        answer.set(List.of(address("127.0.0.2"), address("127.0.0.3")));
        Upstream upstream = Upstream.builder().name("api").endpoint("http://" + NAME + ":" + two.port())
                .resolve(DnsResolution.builder().interval(Duration.ofMillis(100)).resolver(resolver).build())
                .healthCheck(dev.proxy4j.upstream.HealthCheck.builder("/health").interval(Duration.ofMillis(100))
                        .rise(1).fall(1).build())
                .build();
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.pathPrefix("/").upstream(upstream)).build().start();
        awaitTrue(() -> !two.receivedHealthChecks().isEmpty() && !three.receivedHealthChecks().isEmpty(),
                "a health check of each address");

        two.healthy(false);
        Upstream running = proxy.upstream("api").orElseThrow();
        awaitTrue(() -> running.endpointStatuses().stream().allMatch(status -> status.selectable()
                == status.endpoint().toString().endsWith("(127.0.0.3)")), "127.0.0.2 out of rotation, 127.0.0.3 in");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("three");
        }
    }

    @Test
    void aReconfiguredUpstreamStartsWithTheAddressesKnownBeforeItsOwnFirstAnswer() throws Exception {
        FakeBackend two = backend("127.0.0.2", 0, "two");
        FakeBackend three = backend("127.0.0.3", two.port(), "three");
        answer.set(List.of(address("127.0.0.2"), address("127.0.0.3")));
        proxy = ProxyServer.of(config(two.port(), "/")).start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Load load = new Load(client, proxy.uri().resolve("/load"));
        load.start(2);
        try {
            awaitTrue(() -> load.bodies.getOrDefault("two", 0) >= 10 && load.bodies.getOrDefault("three", 0) >= 10,
                    "traffic to both addresses");
            holding.set(true);
            dev.proxy4j.config.ProxyConfig next = config(two.port(), "/");
            proxy.reconfigure(next);
            Upstream replaced = proxy.upstream("api").orElseThrow();
            assertThat(replaced).isSameAs(next.upstreams().get(0));
            assertThat(replaced.endpoints()).as("the addresses the replaced upstream knew, with no answer yet")
                    .extracting(e -> e.resolvedAddress().orElseThrow().getHostAddress())
                    .containsExactly("127.0.0.2", "127.0.0.3");
            int answered = load.answered.get();
            awaitTrue(() -> load.answered.get() >= answered + 50, "traffic after the reconfigure");
        } finally {
            load.stop();
        }
        assertThat(load.failures).as("failed requests (status or exception)").isEmpty();
    }

    private dev.proxy4j.config.ProxyConfig config(int port, String prefix) {
        return dev.proxy4j.config.ProxyConfig.builder()
                .listener(dev.proxy4j.config.Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.pathPrefix(prefix).upstream(Upstream.builder().name("api")
                        .endpoint("http://" + NAME + ":" + port)
                        .resolve(DnsResolution.builder().interval(Duration.ofMillis(100)).resolver(resolver).build())
                        .build()))
                .build();
    }

    private FakeBackend backend(String ip, int port, String body) {
        FakeBackend backend = FakeBackend.create(options -> {
            options.bindAddress(ip);
            if (port != 0) {
                options.port(port);
            }
        });
        backends.add(backend);
        backend.start();
        backend.respondToEverything(200, body);
        return backend;
    }

    private static InetAddress address(String ip) throws UnknownHostException {
        return InetAddress.getByName(ip);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 20 s for: " + what).isNegative();
            Thread.sleep(20);
        }
    }

    /** Threads sending GETs back to back, counting answers by body, and every failure. */
    private static final class Load {
        private final HttpClient client;
        private final URI uri;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger answered = new AtomicInteger();
        private final Map<String, Integer> bodies = new ConcurrentHashMap<>();
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();

        Load(HttpClient client, URI uri) {
            this.client = client;
            this.uri = uri;
        }

        void start(int n) {
            for (int i = 0; i < n; i++) {
                Thread thread = new Thread(this::run, "load-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void run() {
            while (running.get()) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                    } else {
                        bodies.merge(response.body(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                answered.incrementAndGet();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(15_000);
            }
        }
    }
}
