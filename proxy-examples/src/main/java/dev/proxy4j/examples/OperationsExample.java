package dev.proxy4j.examples;

import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.log.AccessLogFormat;
import dev.proxy4j.micrometer.MicrometerMetrics;
import dev.proxy4j.server.ProxyServer;
import org.eclipse.jetty.server.Server;

/**
 * A proxy an operator can see into: metrics (proxy-micrometer, Prometheus), an admin listener on
 * loopback with a token, JSON access-log lines, two event loops (leaving the other cores of the
 * machine to its neighbours), and a {@code main} with no shutdown boilerplate.
 * Try {@code curl -H 'Authorization: Bearer demo' 127.0.0.1:9901/metrics}. See docs/operations.md.
 */
public final class OperationsExample {

    private OperationsExample() {
    }

    static ProxyServer start(int port, int adminPort, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .eventLoops(2)
                .accessLogFormat(AccessLogFormat.JSON)
                .metrics(MicrometerMetrics.prometheus())
                .admin(AdminConfig.onPort(adminPort).withToken("demo"))
                .route(r -> r.name("app").pathPrefix("/").upstream(u -> u.name("app").endpoint(backend)))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        Server backend = Quickstart.demoBackend("app");
        ProxyServer proxy = start(8080, 9901, Quickstart.uri(backend));
        // Stops gracefully on Ctrl-C or SIGTERM (the log says what it drained), then main returns.
        proxy.stopOnShutdown().awaitStop();
        Quickstart.stopQuietly(backend);
    }
}
