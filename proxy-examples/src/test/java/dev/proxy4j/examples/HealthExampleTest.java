package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HealthExample}: a backend that turns sick leaves the rotation, shows so on /upstreams, and comes back. */
class HealthExampleTest {

    private final AtomicBoolean cWell = new AtomicBoolean(true);
    private Server a;
    private Server b;
    private Server c;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        a = Quickstart.demoBackend("a");
        b = Quickstart.demoBackend("b");
        c = HealthExample.switchableBackend("c", cWell);
        Upstream upstream = HealthExample.upstream(Duration.ofMillis(100), Quickstart.uri(a), Quickstart.uri(b),
                Quickstart.uri(c));
        proxy = HealthExample.start(0, upstream);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        for (Server server : List.of(a, b, c)) {
            server.stop();
        }
    }

    @Test
    void aSickBackendShowsUnhealthyGetsNoRequestsAndComesBackWhenWell() throws Exception {
        String c = Quickstart.uri(this.c);
        for (Server backend : List.of(a, b, this.c)) {
            awaitPage(Quickstart.uri(backend) + " HEALTHY inFlight=0 lastCheck=passed: status 200");
        }

        Http.send("POST", java.net.URI.create(c), "/sick", java.net.http.HttpRequest.BodyPublishers.noBody());
        awaitPage(c + " UNHEALTHY (not selected) inFlight=0 lastCheck=failed: status 503");
        for (int i = 0; i < 9; i++) {
            assertThat(Http.get(proxy.uri(), "/x").body()).matches("[ab] got GET /x .*\\n");
        }

        Http.send("POST", java.net.URI.create(c), "/well", java.net.http.HttpRequest.BodyPublishers.noBody());
        awaitPage(c + " HEALTHY inFlight=0 lastCheck=passed: status 200");
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            backends.add(Http.get(proxy.uri(), "/x").body().substring(0, 1));
        }
        assertThat(backends).containsExactlyInAnyOrder("a", "b", "c");
    }

    /** Polls /upstreams every 20 ms for up to 10 s until a line of it is {@code line}. */
    private void awaitPage(String line) throws Exception {
        String page = "";
        for (int i = 0; i < 500; i++) {
            page = Http.get(proxy.uri(), "/upstreams").body();
            if (page.lines().anyMatch(line::equals)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line \"" + line + "\" on /upstreams within 10 s:\n" + page);
    }
}
