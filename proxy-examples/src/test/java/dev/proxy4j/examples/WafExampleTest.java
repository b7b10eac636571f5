package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WafExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = Quickstart.demoBackend("app");
        proxy = WafExample.start(0, Quickstart.uri(backend));
    }

    @AfterEach
    void stop() {
        proxy.stop();
        Quickstart.stopQuietly(backend);
    }

    @Test
    void blocksInjectionEverywhereButWhereARouteSaysOtherwise() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + proxy.port());
        String injection = "?q=%27%20OR%20%271%27%3D%271";
        String script = "?html=%3Cscript%3Ealert(1)%3C/script%3E";

        assertThat(Http.get(base, "/search" + injection).statusCode()).isEqualTo(403);
        assertThat(Http.get(base, "/search?q=O%27Brien").statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/cms/page" + script).statusCode()).as("xss left out on /cms").isEqualTo(200);
        assertThat(Http.get(base, "/cms/page" + injection).statusCode()).as("the rest still runs").isEqualTo(403);
        assertThat(Http.get(base, "/beta/search" + injection).statusCode()).as("detection only").isEqualTo(200);
        assertThat(Http.get(base, "/upload/x" + injection).statusCode()).as("no WAF").isEqualTo(200);
    }
}
