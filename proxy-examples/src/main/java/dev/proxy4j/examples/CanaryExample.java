package dev.proxy4j.examples;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.HashKey;
import dev.proxy4j.upstream.Upstream;
import org.eclipse.jetty.server.Server;

/**
 * A canary release: a weighted split sends about one user in ten to the new version (sticky by the
 * {@code session} cookie, so a user stays on one version; testers send {@code X-Canary: 1} to reach
 * it whatever the weights), then {@link ProxyServer#reconfigure(ProxyConfig)} promotes it while the
 * proxy serves, with no failed request and no user moved back. The upstreams keep their names, so
 * their pooled connections and health survive each step. See docs/load-balancing.md, "Canary and
 * A/B splits", and docs/routing.md, "Changing routes while running".
 */
public final class CanaryExample {

    private CanaryExample() {
    }

    /** The configuration with {@code canaryPercent} of requests to the canary, the rest to stable. */
    static ProxyConfig config(int port, String stable, String canary, int canaryPercent) {
        Upstream stableUpstream = Upstream.builder().name("stable").endpoint(stable).build();
        Upstream canaryUpstream = Upstream.builder().name("canary").endpoint(canary).build();
        return ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", port))
                .route(r -> r.name("shop").pathPrefix("/")
                        .split(s -> s.upstream(stableUpstream, 100 - canaryPercent).upstream(canaryUpstream, canaryPercent)
                                .sticky(HashKey.cookie("session"))
                                .whenHeader("X-Canary", "1", canaryUpstream)))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server stable = Quickstart.demoBackend("stable");
        Server canary = Quickstart.demoBackend("canary");
        ProxyServer proxy = ProxyServer.of(config(port, Quickstart.uri(stable), Quickstart.uri(canary), 10)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(stable);
            Quickstart.stopQuietly(canary);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + ": 10% to the canary; promoting in 30 s steps (50%, 100%)");
        System.out.println("  for i in $(seq 20); do curl -s -b session=user-$i " + base + "/ | head -c 7; echo; done");
        System.out.println("  curl -s -H 'X-Canary: 1' " + base + "/      # always the canary");
        for (int percent : new int[] {50, 100}) {
            Thread.sleep(30_000);
            // The listener is as at start (the same port setting): only the split changes.
            proxy.reconfigure(config(port, Quickstart.uri(stable), Quickstart.uri(canary), percent));
            System.out.println("now " + percent + "% to the canary");
        }
        Thread.currentThread().join();
    }
}
