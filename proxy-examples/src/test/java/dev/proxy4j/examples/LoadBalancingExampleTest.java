package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstreams of {@link LoadBalancingExample}: nginx's weighted order, and fail-over by a custom balancer. */
class LoadBalancingExampleTest {

    private Server a;
    private Server b;
    private Server c;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        a = Quickstart.demoBackend("a");
        b = Quickstart.demoBackend("b");
        c = Quickstart.demoBackend("c");
        String down = "http://127.0.0.1:" + LoadBalancingExample.closedPort();
        proxy = LoadBalancingExample.start(0, Quickstart.uri(a), Quickstart.uri(b), Quickstart.uri(c),
                down, Quickstart.uri(b));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        for (Server server : List.of(a, b, c)) {
            server.stop();
        }
    }

    @Test
    void spreadsRequestsInNginxsSmoothWeightedOrder() throws Exception {
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answered.add(Http.get(proxy.uri(), "/").body().substring(0, 1));
        }

        assertThat(answered).containsExactly("a", "b", "a", "c", "a", "a", "b", "a", "c", "a");
    }

    @Test
    void failsOverToTheBackupWhenThePrimaryRefusesEvenForAPost() throws Exception {
        var response = Http.send("POST", proxy.uri(), "/failover",
                java.net.http.HttpRequest.BodyPublishers.ofString("payload"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("b got POST /failover ");
    }
}
