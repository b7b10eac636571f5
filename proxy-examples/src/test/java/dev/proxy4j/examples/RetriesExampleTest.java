package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link RetriesExample} shows: idempotent requests get past the flaky backend's 503s, a POST does not. */
class RetriesExampleTest {

    private final AtomicInteger flakyReceived = new AtomicInteger();
    private Server flaky;
    private Server steady;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        flaky = RetriesExample.flakyBackend(flakyReceived);
        steady = Quickstart.demoBackend("steady");
        proxy = RetriesExample.start(0, Quickstart.uri(flaky), Quickstart.uri(steady));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        flaky.stop();
        steady.stop();
    }

    @Test
    void getsAndPutsNeverSeeTheFlakyBackends503() throws Exception {
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> get = Http.get(proxy.uri(), "/a");
            assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> put = Http.send("PUT", proxy.uri(), "/doc",
                    HttpRequest.BodyPublishers.ofString("x".repeat(5000)));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.body()).matches("(flaky got PUT /doc with 5000 bytes|steady got PUT /doc .*)\\n");
        }
        assertThat(flakyReceived.get()).as("the flaky backend answered some 503s, which were retried")
                .isGreaterThan(1);
    }

    @Test
    void aPostIsSentOnceAndItsAnswerPassedOn() throws Exception {
        // A client of its own: the shared one may hold a pooled connection to an earlier proxy that had
        // this port, and a POST on a connection that peer has closed is not retried by the JDK client.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int statuses503 = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/order"))
                    .timeout(java.time.Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("one")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (post.statusCode() == 503) {
                statuses503++;
                assertThat(post.body()).isEqualTo("flaky is busy\n");
            } else {
                assertThat(post.statusCode()).isEqualTo(200);
            }
        }
        // Round-robin sends four POSTs to the flaky backend, which answers two of them 503.
        assertThat(flakyReceived.get()).isEqualTo(4);
        assertThat(statuses503).isEqualTo(2);
    }
}
