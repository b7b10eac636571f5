package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.SlowStart;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;

/**
 * Balancers that keep a client on one backend, and one that follows the load, over three backends:
 * {@code /cart} by consistent hashing of the X-User header (each user's cart on one backend),
 * {@code /app} by a sticky cookie the proxy sets, {@code /} by least requests, a backend that
 * joins ramping up over 30 seconds. See docs/load-balancing.md.
 */
public final class AffinityExample {

    private AffinityExample() {
    }

    /** A started proxy on {@code port} over the three backends. */
    static ProxyServer start(int port, String a, String b, String c) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/cart").upstream(u -> u
                        .endpoint(a).endpoint(b).endpoint(c)
                        .loadBalancer(LoadBalancer.ringHash(HashKey.header("X-User")))))   // --lb ring-hash:header:X-User
                .route(r -> r.pathPrefix("/app").upstream(u -> u
                        .endpoint(a).endpoint(b).endpoint(c)
                        .loadBalancer(LoadBalancer.stickyCookie("srv"))))                 // --lb sticky-cookie:srv
                .route(r -> r.pathPrefix("/").upstream(u -> u
                        .endpoint(a).endpoint(b).endpoint(c)
                        .loadBalancer(LoadBalancer.leastRequests(SlowStart.of(Duration.ofSeconds(30))))))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server a = Quickstart.demoBackend("a");
        Server b = Quickstart.demoBackend("b");
        Server c = Quickstart.demoBackend("c");
        ProxyServer proxy = start(port, Quickstart.uri(a), Quickstart.uri(b), Quickstart.uri(c));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            List.of(a, b, c).forEach(Quickstart::stopQuietly);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; try:");
        System.out.println("  for i in 1 2 3; do curl -s -H 'X-User: ada' " + base + "/cart; done   (one backend for ada)");
        System.out.println("  curl -si -c jar " + base + "/app; curl -s -b jar " + base + "/app   (Set-Cookie: srv=..., then the same backend)");
        System.out.println("  for i in 1 2 3; do curl -s " + base + "/; done   (least requests)");
    }
}
