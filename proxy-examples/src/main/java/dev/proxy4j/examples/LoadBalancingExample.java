package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointState;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;

/**
 * Smooth weighted round-robin over three backends (weights 3, 1, 1: a, b, a, c, a), and a load balancer
 * of your own: primary first, the backup only when the primary refuses the connection. See
 * docs/load-balancing.md.
 */
public final class LoadBalancingExample {

    /**
     * Always the first selectable endpoint not yet tried, in the order they were added: with retry
     * on connection failure, that is fail-over. Selectors read the group's live snapshot on every call.
     */
    static final LoadBalancer PRIMARY_FIRST = group -> (ctx, request, excluded) -> {
        for (EndpointState member : group.snapshot().selectable()) {
            if (!excluded.contains(member.endpoint())) {
                return member;
            }
        }
        return null;
    };

    private LoadBalancingExample() {
    }

    /** A started proxy on {@code port}: {@code /} over a, b, c weighted 3:1:1; {@code /failover} to primary, then backup. */
    static ProxyServer start(int port, String a, String b, String c, String primary, String backup) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/failover").upstream(u -> u
                        .endpoint(primary).endpoint(backup)
                        .loadBalancer(PRIMARY_FIRST)
                        .connectTimeout(Duration.ofSeconds(1))))
                .route(r -> r.pathPrefix("/").upstream(u -> u
                        .name("web")                                  // in logs instead of the first endpoint
                        .endpoint(a, 3).endpoint(b).endpoint(c)       // weights; the default balancer honours them
                        .maxConnectionsPerEndpoint(64)                // default 256
                        .idleTimeout(Duration.ofSeconds(30))          // default 60 s
                        .protocol(UpstreamProtocol.HTTP_1_1)))        // the default; HTTP_2 for h2c/h2 backends
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server a = Quickstart.demoBackend("a");
        Server b = Quickstart.demoBackend("b");
        Server c = Quickstart.demoBackend("c");
        String down = "http://127.0.0.1:" + closedPort();
        ProxyServer proxy = start(port, Quickstart.uri(a), Quickstart.uri(b), Quickstart.uri(c), down, Quickstart.uri(b));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            List.of(a, b, c).forEach(Quickstart::stopQuietly);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; try:");
        System.out.println("  for i in 1 2 3 4 5; do curl -s " + base + "/; done     (a, b, a, c, a)");
        System.out.println("  curl -s " + base + "/failover      (the primary " + down + " refuses: b answers)");
    }

    /** A port nothing listens on, standing in for a backend that is down. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
