package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes that name one upstream share it: its rotation over endpoints and its connections. */
class SharedUpstreamTest {

    private final Set<Integer> connectionsToFirst = ConcurrentHashMap.newKeySet();
    private TestBackend first;
    private TestBackend second;
    private ProxyServer proxy;
    private HttpClient client;

    private TestBackend tagging(String tag, Set<Integer> connections) throws Exception {
        return TestBackend.start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                connections.add(Request.getRemotePort(request));
                TestBackend.Content.write(response, tag, callback);
                return true;
            }
        });
    }

    @BeforeEach
    void startBackends() throws Exception {
        first = tagging("1", connectionsToFirst);
        second = tagging("2", ConcurrentHashMap.newKeySet());
        client = Clients.HTTP_1_1.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        if (proxy != null) {
            proxy.stop();
        }
        first.close();
        second.close();
    }

    private String get(String path) throws Exception {
        ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path(path)
                .timeout(10, TimeUnit.SECONDS).send();
        assertThat(response.getStatus()).isEqualTo(200);
        return response.getContentAsString();
    }

    @Test
    void twoRoutesWithTheSameUpstreamShareItsRoundRobinRotation() throws Exception {
        Upstream shared = Upstream.of(first.uri(), second.uri());
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false)
                .route(r -> r.path("/one").upstream(shared))
                .route(r -> r.path("/two").upstream(shared))
                .build().start();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(get(i % 2 == 0 ? "/one" : "/two"));
        }

        // One rotation over both routes' requests alternates; a rotation per route would answer 1, 1, 2, 2, ...
        String start = answers.get(0);
        String other = start.equals("1") ? "2" : "1";
        assertThat(answers).containsExactly(start, other, start, other, start, other, start, other);
    }
}
