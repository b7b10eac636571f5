package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CanaryExample}: a split that sends a share to the canary, promoted live with reconfigure. */
class CanaryExampleTest {

    private Server stable;
    private Server canary;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        stable = Quickstart.demoBackend("stable");
        canary = Quickstart.demoBackend("canary");
        proxy = ProxyServer.of(CanaryExample.config(0, Quickstart.uri(stable), Quickstart.uri(canary), 10)).start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        stable.stop();
        canary.stop();
    }

    private List<String> answers(int requests) throws Exception {
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answered.add(Http.get(proxy.uri(), "/").body().startsWith("canary") ? "canary" : "stable");
        }
        return answered;
    }

    @Test
    void aboutOneRequestInTenGoesToTheCanary() throws Exception {
        long toCanary = answers(300).stream().filter("canary"::equals).count();

        // 10% of 300 is 30, give or take 5; the bounds are 4 of those away (a miss: well under one run in 10,000).
        assertThat(toCanary).isBetween(8L, 60L);
    }

    @Test
    void aUserStaysOnOneVersionAndTestersReachTheCanaryByHeader() throws Exception {
        for (int user = 0; user < 20; user++) {
            String first = Http.get(proxy.uri(), "/", "Cookie", "session=user-" + user).body().substring(0, 6);
            for (int again = 0; again < 3; again++) {
                assertThat(Http.get(proxy.uri(), "/", "Cookie", "session=user-" + user).body()).startsWith(first);
            }
            assertThat(Http.get(proxy.uri(), "/", "X-Canary", "1", "Cookie", "session=user-" + user).body())
                    .startsWith("canary");
        }
    }

    @Test
    void promotingTheCanaryWhileServingFailsNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            while (running.get()) {
                try {
                    int status = Http.get(proxy.uri(), "/").statusCode();
                    if (status != 200) {
                        failures.add("status " + status);
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        client.start();
        for (int percent : new int[] {50, 100}) {
            Thread.sleep(200);
            // Port 0 as at start: the listener setting is the same, the bound port stays.
            proxy.reconfigure(CanaryExample.config(0, Quickstart.uri(stable), Quickstart.uri(canary), percent));
        }
        Thread.sleep(200);
        running.set(false);
        client.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(failures).isEmpty();
        assertThat(answers(20)).containsOnly("canary");
    }
}
