package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hop-by-hop headers both ways, with a raw Jetty backend that sends Connection-named response headers.
 * The rest of routing and forwarding is tested through the testkit (proxy-testkit's ForwardingEndToEndTest).
 */
class HopByHopTest {

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Connection", "X-Backend-Hop");
                response.getHeaders().put("X-Backend-Hop", "secret");
                response.getHeaders().put("Keep-Alive", "timeout=5");
                response.getHeaders().put("X-Kept", "yes");
                TestBackend.Content.write(response, "ok", callback);
                return true;
            }
        });
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void stripsHopByHopHeadersBothWaysIncludingThoseNamedInConnection(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            var request = client.newRequest("127.0.0.1", proxy.port()).path("/x").timeout(10, TimeUnit.SECONDS)
                    .headers(h -> {
                        if (protocol == Clients.HTTP_1_1) {
                            h.add("Connection", "X-Client-Hop").add("X-Client-Hop", "secret");
                        }
                        h.add("Proxy-Authorization", "Basic x");
                    });
            ContentResponse response = request.send();

            TestBackend.Seen seen = backend.take();
            assertThat(seen.header("X-Client-Hop")).isNull();
            assertThat(seen.header("Proxy-Authorization")).isNull();
            assertThat(response.getHeaders().get("X-Backend-Hop")).isNull();
            assertThat(response.getHeaders().get("Keep-Alive")).isNull();
            assertThat(response.getHeaders().get("X-Kept")).isEqualTo("yes");
        } finally {
            client.stop();
        }
    }
}
