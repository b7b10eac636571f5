package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.Endpoint;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link DnsExample} shows: localhost resolved by the JVM into an endpoint per address, which requests reach. */
class DnsExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        backend.stop();
    }

    @Test
    void eachAddressOfLocalhostIsAnEndpointAndRequestsReachTheBackend() throws Exception {
        backend = Quickstart.demoBackend("backend");
        int backendPort = ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
        proxy = DnsExample.start(0, backendPort);

        assertThat(proxy.upstream("api").orElseThrow().endpoints())
                .extracting(e -> e.resolvedAddress().orElseThrow())
                .contains(InetAddress.getByName("127.0.0.1"));
        assertThat(proxy.upstream("api").orElseThrow().endpoints()).extracting(Endpoint::host).containsOnly("localhost");
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = Http.get(proxy.uri(), "/a");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }
}
