package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The header filters of {@link TenantHeaderExample}, through a real proxy to a backend that echoes headers. */
class TenantHeaderExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = HeaderRulesExample.echoBackend();
        proxy = TenantHeaderExample.start(0, Quickstart.uri(backend));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void sendsTheTenantFromThePathVariableAndTheOriginalPathToTheBackend() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/tenants/acme/orders/7?full=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith("GET /orders/7?full=1\n")
                .contains("\nX-Tenant: acme\n")
                .contains("\nX-Original-Path: /tenants/acme/orders/7\n");
    }

    @Test
    void replacesATenantHeaderTheClientSent() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/tenants/acme/orders", "X-Tenant", "other");

        assertThat(response.body()).contains("\nX-Tenant: acme\n").doesNotContain("other");
    }

    @Test
    void echoesTheTenantAndStampsServerTimingOnTheResponse() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/tenants/acme/orders/7");

        assertThat(response.headers().firstValue("X-Tenant")).hasValue("acme");
        assertThat(response.headers().firstValue("Server-Timing")).hasValueSatisfying(
                value -> assertThat(value).matches("proxy;dur=\\d+\\.\\d"));
    }

    @Test
    void theServerWideFilterSeesRequestsNoRouteTakes() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/nowhere");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Server-Timing")).isPresent();
        assertThat(response.headers().firstValue("X-Tenant")).isEmpty();
    }
}
