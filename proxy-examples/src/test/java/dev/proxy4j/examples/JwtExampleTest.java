package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("app");
        proxy = JwtExample.start(0, Quickstart.uri(backend), JwtExample.demoJwt());
    }

    @AfterEach
    void stop() {
        proxy.stop();
        Quickstart.stopQuietly(backend);
    }

    @Test
    void theDemoTokenPassesAndNoTokenGets401() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + proxy.port());

        HttpResponse<String> none = Http.get(base, "/api/x");
        HttpResponse<String> alice = Http.get(base, "/api/x", "Authorization", "Bearer " + JwtExample.demoToken("alice"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"proxy4j\"");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).startsWith("app got GET /api/x");
        assertThat(Http.get(base, "/public").statusCode()).as("other routes need no token").isEqualTo(200);
    }
}
