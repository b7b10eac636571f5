package dev.proxy4j.examples;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import java.time.Duration;
import org.eclipse.jetty.server.Server;

/**
 * A TCP (layer 4) listener in front of two backends, with a TCP connect health check (HAProxy's
 * {@code check} on a {@code mode tcp} server): each connection goes, as raw bytes, to the backend
 * with the fewest open connections among those whose connects succeed. Stop one backend and, within
 * {@code fall x interval}, new connections go only to the other; start it again and it is back after
 * {@code rise} checks. The backends here are the quickstart's HTTP ones, so {@code curl} through the
 * TCP port shows which one answered. See docs/protocols.md, "TCP (layer 4)", and
 * docs/load-balancing.md, "TCP connect checks".
 */
public final class TcpExample {

    private TcpExample() {
    }

    static ProxyConfig config(int port, String a, String b, Duration interval) {
        return ProxyConfig.builder()
                .tcp(TcpListener.of(port, Upstream.builder().name("pair")
                        .endpoint(a).endpoint(b)
                        .loadBalancer(LoadBalancer.leastRequests())
                        .healthCheck(HealthCheck.tcpBuilder().interval(interval).rise(2).fall(2).build())  // --health-check tcp
                        .build()).withHost("127.0.0.1"))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        Server a = Quickstart.demoBackend("a");
        Server b = Quickstart.demoBackend("b");
        ProxyServer proxy = ProxyServer.of(config(port, Quickstart.uri(a), Quickstart.uri(b), Duration.ofSeconds(1))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(a);
            Quickstart.stopQuietly(b);
        }));
        System.out.println("TCP on 127.0.0.1:" + proxy.tcpPort(0) + " -> " + Quickstart.uri(a) + ", " + Quickstart.uri(b)
                + "; try: curl http://127.0.0.1:" + proxy.tcpPort(0) + "/");
        Thread.currentThread().join();
    }
}
