package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ProxyServer#reconfigure(ProxyConfig)} on a serving proxy: the next request gets the new
 * routes, settings fixed at start are refused, and swaps under load lose no request.
 */
class ReconfigureTest {

    private TestBackend backendA;
    private TestBackend backendB;
    private ProxyConfig configA;
    private ProxyConfig configB;
    private ProxyServer proxy;
    private final List<HttpClient> clients = new ArrayList<>();

    /** Answers {@code tag} a few milliseconds late, so that requests are in flight while the proxy swaps. */
    private static TestBackend tagging(String tag) throws Exception {
        return TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                request.getComponents().getScheduler().schedule(
                        () -> TestBackend.Content.write(response, tag, callback), 3, TimeUnit.MILLISECONDS);
                return true;
            }
        });
    }

    private static ProxyConfig answeringFrom(TestBackend backend) {
        return ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.name("tagged").pathPrefix("/").upstream(backend.uri()))
                .build();
    }

    @BeforeEach
    void start() throws Exception {
        backendA = tagging("A");
        backendB = tagging("B");
        configA = answeringFrom(backendA);
        configB = answeringFrom(backendB);
        proxy = ProxyServer.of(configA).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (HttpClient client : clients) {
            client.stop();
        }
        proxy.stop();
        backendA.close();
        backendB.close();
    }

    private HttpClient client(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        clients.add(client);
        return client;
    }

    private String get(HttpClient client) throws Exception {
        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/tag")
                .timeout(10, TimeUnit.SECONDS).send();
        if (response.getStatus() != 200) {
            return response.getStatus() + " " + response.getContentAsString();
        }
        return response.getContentAsString();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aRouteSwappedToAnotherBackendTakesEffectForTheNextRequestOnTheSameConnection(Clients protocol)
            throws Exception {
        HttpClient client = client(protocol);
        assertThat(get(client)).isEqualTo("A");

        proxy.reconfigure(configB);

        assertThat(get(client)).isEqualTo("B");
        assertThat(proxy.config()).isSameAs(configB);
        assertThat(backendA.received()).isEqualTo(1);
    }

    @Test
    void aDifferentListenerPortIsRefusedNamingItAndTheRunningConfigurationKeepsServing() throws Exception {
        HttpClient client = client(Clients.HTTP_1_1);
        ProxyConfig otherPort = ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", 8081))
                .route(r -> r.pathPrefix("/").upstream(backendB.uri()))
                .build();

        assertThatThrownBy(() -> proxy.reconfigure(otherPort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("listeners[0].port: 8081 (was 0) (expected: the same as at start;");

        assertThat(proxy.config()).isSameAs(configA);
        assertThat(get(client)).isEqualTo("A");
        assertThat(backendB.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aHundredSwapsUnderConcurrentLoadLoseNoRequestAndEveryAnswerComesFromOneOfTheTwoConfigurations(
            Clients protocol) throws Exception {
        int threads = 4;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answeredA = new AtomicInteger();
        AtomicInteger answeredB = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            HttpClient client = client(protocol); // one keep-alive connection per thread
            Thread thread = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                    try {
                        String answer = get(client);
                        switch (answer) {
                            case "A" -> answeredA.incrementAndGet();
                            case "B" -> answeredB.incrementAndGet();
                            default -> failures.add(answer);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    completed.incrementAndGet();
                }
            }, "load-" + t);
            thread.start();
            load.add(thread);
        }

        ProxyConfig last = configA;
        try {
            for (int swap = 0; swap < 100; swap++) {
                last = swap % 2 == 0 ? configB : configA;
                int before = completed.get();
                proxy.reconfigure(last);
                // Let a few requests complete on each configuration before the next swap (bounded).
                while (completed.get() < before + threads && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            stop.set(true);
            for (Thread thread : load) {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            }
        }

        assertThat(System.nanoTime()).as("finished before the deadline").isLessThan(deadline);
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(answeredA.get() + answeredB.get()).isEqualTo(completed.get());
        assertThat(answeredA.get()).as("answers from A").isPositive();
        assertThat(answeredB.get()).as("answers from B").isPositive();
        assertThat(proxy.config()).isSameAs(last).isSameAs(configA);
        for (HttpClient client : clients) {
            assertThat(get(client)).as("after the last swap").isEqualTo("A");
        }
    }
}
