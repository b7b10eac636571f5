package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("app");
        proxy = RateLimitExample.start(0, Quickstart.uri(backend));
    }

    @AfterEach
    void stop() {
        proxy.stop();
        Quickstart.stopQuietly(backend);
    }

    @Test
    void theEleventhRequestOfAKeyWithinTheBurstIsTheLastAdmitted() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + proxy.port());
        List<Integer> statuses = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 14; i++) {
            statuses.add(Http.get(base, "/api/x", "X-Api-Key", "k1").statusCode());
        }
        long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;

        // 60r/m gives one more a second: a slow run may see more admitted, never fewer, never more than that.
        assertThat(statuses.subList(0, 11)).containsOnly(200);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(11 + elapsedSeconds + 1);
        assertThat(statuses).containsOnly(200, 429);
        assertThat(Http.get(base, "/api/x", "X-Api-Key", "k2").headers().firstValue("RateLimit"))
                .hasValue("\"per-key\";r=10;t=1");
    }
}
