package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Once the response headers have gone to the client, a timeout cannot become a 504: the response is
 * cut off. Needs a backend that sends its headers and then goes quiet, which WireMock cannot do.
 */
class CutOffTest {

    private TestBackend dribbling;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        dribbling = TestBackend.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                response.write(false, ByteBuffer.wrap("first".getBytes()), Callback.NOOP);
                Thread.sleep(1500);
                TestBackend.Content.write(response, "second", callback);
                return true;
            }
        });
        proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/idle").idleTimeout(Duration.ofMillis(500)).upstream(dribbling.uri()))
                .route(r -> r.pathPrefix("/total").totalTimeout(Duration.ofMillis(500)).upstream(dribbling.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        dribbling.close();
    }

    private static Result get(HttpClient client, int port, String path) throws Exception {
        var result = new CompletableFuture<Result>();
        client.newRequest("127.0.0.1", port).path(path).timeout(10, TimeUnit.SECONDS).send(result::complete);
        return result.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void cutsOffAResponseThatGoesQuietLongerThanTheIdleTimeout(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            Result result = get(client, proxy.port(), "/idle/x");

            assertThat(result.getResponse().getStatus()).isEqualTo(200);
            assertThat(result.isFailed()).as("the body stops short instead of completing").isTrue();
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void cutsOffAnExchangeOverTheTotalTimeout(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            Result result = get(client, proxy.port(), "/total/x");

            assertThat(result.getResponse().getStatus()).isEqualTo(200);
            assertThat(result.isFailed()).isTrue();
        } finally {
            client.stop();
        }
    }
}
