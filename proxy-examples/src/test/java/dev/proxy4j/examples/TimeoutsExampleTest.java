package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statuses {@link TimeoutsExample} shows, and what the proxy's own error answers look like. */
class TimeoutsExampleTest {

    private Server slow;
    private Server fast;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        slow = TimeoutsExample.slowBackend();
        fast = Quickstart.demoBackend("fast");
        String down = "http://127.0.0.1:" + LoadBalancingExample.closedPort();
        proxy = TimeoutsExample.start(0, Quickstart.uri(slow), down, Quickstart.uri(fast));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        slow.stop();
        fast.stop();
    }

    @Test
    void answers504WhenTheBackendIsSlowerThanTheRoutesTimeout() throws Exception {
        assertThat(Http.get(proxy.uri(), "/slow?delay=50").statusCode()).isEqualTo(200);

        HttpResponse<String> response = Http.get(proxy.uri(), "/slow?delay=3000");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("504 Gateway Timeout\n");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void answers502WithoutTheBackendAddressWhenItIsDown() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/down");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("502 Bad Gateway\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void answers413ForABodyOverTheLimitAnd404WhereNoRouteMatches() throws Exception {
        HttpResponse<String> tooLarge = Http.send("POST", proxy.uri(), "/app",
                HttpRequest.BodyPublishers.ofString("x".repeat(2000)));
        HttpResponse<String> noRoute = Http.get(proxy.uri(), "/nowhere");

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(noRoute.body()).isEqualTo("404 Not Found\n");
    }
}
