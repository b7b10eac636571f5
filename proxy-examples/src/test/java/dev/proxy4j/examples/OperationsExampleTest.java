package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("app");
        proxy = OperationsExample.start(0, 0, Quickstart.uri(backend));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void theAdminListenerAsksForTheTokenAndCountsTheRequest() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertThat(client.send(HttpRequest.newBuilder(proxy.uri().resolve("/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).startsWith("app got GET /hello");
        URI metrics = URI.create("http://127.0.0.1:" + proxy.adminPort() + "/metrics");

        assertThat(client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        String text = "";
        for (int i = 0; i < 500 && !text.contains("route=\"app\",status=\"2xx\"} 1"); i++) {
            text = client.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer demo").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(20);
        }
        assertThat(text).contains("http_server_requests_seconds_count{error=\"none\",method=\"GET\",outcome=\"SUCCESS\","
                + "route=\"app\",status=\"2xx\"} 1");
    }

    @Test
    void runsTheEventLoopsItAsksFor() {
        assertThat(proxy.config().eventLoops()).isEqualTo(2);
    }
}
