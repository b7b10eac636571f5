package dev.proxy4j.examples;

import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import dev.proxy4j.server.ProxyServer;
import org.eclipse.jetty.server.Server;

/**
 * Edge limits: a server-wide rate per client address, a tighter one per API key on {@code /api},
 * a login route whose burst is delayed to its rate instead of refused, and at most 16 open
 * connections per address. See docs/security.md.
 */
public final class RateLimitExample {

    private RateLimitExample() {
    }

    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .maxConnectionsPerIp(16)                                            // nginx limit_conn
                .filter(RateLimit.builder().rate("20r/s").burst(40).nodelay()       // every request, before routing
                        .name("per-ip").build())
                .route(r -> r.pathPrefix("/api")
                        .filter(RateLimit.builder().rate("60r/m").burst(10).nodelay()
                                .key(RateLimitKey.header("X-Api-Key")).name("per-key").responseHeaders(true).build())
                        .upstream(backend))
                .route(r -> r.pathPrefix("/login")
                        .filter(RateLimit.builder().rate("2r/s").burst(5)           // the burst waits its turn
                                .name("logins").build())
                        .upstream(backend))
                .route(r -> r.pathPrefix("/").upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = Quickstart.demoBackend("app");
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on port " + proxy.port() + "; the 12th request of one key gets 429:");
        System.out.println("  for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code} ' -H 'X-Api-Key: k1' "
                + base + "/api/x; done; echo");
        System.out.println("and the login burst is spread at 2 a second:");
        System.out.println("  for i in $(seq 6); do curl -s -o /dev/null -w '%{time_total}\\n' " + base + "/login & done; wait");
    }
}
