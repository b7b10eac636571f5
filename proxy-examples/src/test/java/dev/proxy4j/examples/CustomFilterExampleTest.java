package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's own answers of {@link CustomFilterExample}, through a real proxy to a real backend. */
class CustomFilterExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("backend");
        proxy = CustomFilterExample.start(0, Quickstart.uri(backend));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void forwardsAndAddsTheFiltersResponseHeader() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("backend got GET /hello ");
        assertThat(response.headers().firstValue("X-Proxy-Filter")).hasValue("seen");
    }

    @Test
    void answers403ItselfWithoutTheTokenAndStillTagsTheResponse() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/admin/users");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("403 Forbidden\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("X-Proxy-Filter")).hasValue("seen");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(32));
    }

    @Test
    void forwardsAdminRequestsThatCarryTheToken() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/admin/users",
                "X-Admin-Token", CustomFilterExample.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("backend got GET /admin/users ");
    }

    @Test
    void answersHealthzItselfWithoutTheBackend() throws Exception {
        backend.stop();

        HttpResponse<String> response = Http.get(proxy.uri(), "/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Proxy-Filter")).hasValue("seen");
    }

    @Test
    void healthzIsOnlyTheExactPath() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/healthz/more");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("backend got GET /healthz/more ");
    }
}
