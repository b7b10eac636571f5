package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.DnsResolution;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An upstream named by a host name, re-resolved every 2 seconds: each address {@code localhost}
 * resolves to is an endpoint of its own (see {@code /upstreams} of the admin page, or
 * {@code ProxyServer.upstream("api").endpoints()}), added and drained as the answers change, while
 * the requests keep {@code localhost} as their Host. A failed lookup keeps the last addresses.
 * See docs/load-balancing.md#dns-re-resolution.
 */
public final class DnsExample {

    private DnsExample() {
    }

    static ProxyServer start(int port, int backendPort) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/").upstream(u -> u
                        .name("api")
                        .endpoint("http://localhost:" + backendPort)
                        .resolve(DnsResolution.builder()
                                .interval(Duration.ofSeconds(2))              // look it up again every 2 s
                                .maxFailureInterval(Duration.ofSeconds(30))   // failures back off up to 30 s
                                .onEmpty(DnsResolution.OnEmpty.KEEP)          // an empty answer keeps the last set
                                .build())))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = Quickstart.demoBackend("backend");
        ProxyServer proxy = start(port, ((ServerConnector) backend.getConnectors()[0]).getLocalPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        System.out.println("proxy on http://127.0.0.1:" + proxy.port() + "; its endpoints: "
                + proxy.upstream("api").orElseThrow().endpoints());
    }
}
