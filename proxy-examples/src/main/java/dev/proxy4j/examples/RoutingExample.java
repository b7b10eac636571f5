package dev.proxy4j.examples;

import dev.proxy4j.route.PathRewrites;
import dev.proxy4j.server.ProxyServer;
import org.eclipse.jetty.server.Server;

/**
 * Routes by host, path (prefix, template, regex), method, header, query and a condition of your own,
 * with the path rewritten on the way. The first route that matches wins, so the catch-all goes last.
 * See docs/routing.md.
 */
public final class RoutingExample {

    private RoutingExample() {
    }

    /** A started proxy on {@code port} (0 for a free one) in front of the {@code api} and {@code web} backends. */
    static ProxyServer start(int port, String api, String web) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                // Exact host and a prefix; the backend sees the path without the prefix: /v1/users -> /users.
                .route(r -> r.host("api.localhost").pathPrefix("/v1").stripPrefix("/v1").upstream(api))
                // A template, rewritten by a template: /users/42/orders -> /v2/people/42/orders.
                .route(r -> r.pathTemplate("/users/{id}/orders")
                        .rewrite(PathRewrites.template("/users/{id}/orders", "/v2/people/{id}/orders"))
                        .upstream(api))
                // A regular expression, rewritten with its groups: /reports/2024-05.csv -> /export/2024/05.
                .route(r -> r.pathRegex("/reports/(\\d{4})-(\\d{2})\\.csv")
                        .rewriteRegex("/reports/(\\d{4})-(\\d{2})\\.csv", "/export/$1/$2")
                        .upstream(api))
                // Any subdomain of preview.localhost with ?debug in the query: always /debug.
                .route(r -> r.host("*.preview.localhost").query("debug").setPath("/debug").upstream(api))
                // A header, and a condition of your own on the request.
                .route(r -> r.pathPrefix("/beta").header("X-Canary", "1").upstream(api))
                .route(r -> r.pathPrefix("/beta")
                        .when(request -> request.headers().getAll("Cookie").stream().anyMatch(c -> c.contains("beta=1")))
                        .upstream(api))
                // Only GET and HEAD; /static/app.js -> /assets/app.js. A POST falls through to the catch-all.
                .route(r -> r.pathPrefix("/static").methods("GET", "HEAD").rewritePrefix("/static", "/assets")
                        .upstream(web))
                .route(r -> r.pathPrefix("/").upstream(web))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server api = Quickstart.demoBackend("api");
        Server web = Quickstart.demoBackend("web");
        ProxyServer proxy = start(port, Quickstart.uri(api), Quickstart.uri(web));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(api);
            Quickstart.stopQuietly(web);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; each backend answers with its name and the path it got. Try:");
        System.out.println("  curl -H 'Host: api.localhost' " + base + "/v1/users          (api got /users)");
        System.out.println("  curl " + base + "/v1/users                                  (web got /v1/users: wrong host)");
        System.out.println("  curl '" + base + "/users/42/orders?page=2'                  (api got /v2/people/42/orders?page=2)");
        System.out.println("  curl " + base + "/reports/2024-05.csv                       (api got /export/2024/05)");
        System.out.println("  curl -H 'Host: pr-7.preview.localhost' '" + base + "/x?debug'  (api got /debug?debug)");
        System.out.println("  curl -H 'X-Canary: 1' " + base + "/beta/x                    (api)");
        System.out.println("  curl -b beta=1 " + base + "/beta/x                           (api)");
        System.out.println("  curl " + base + "/static/app.js                             (web got /assets/app.js)");
        System.out.println("  curl -X POST " + base + "/static/app.js                     (web got /static/app.js)");
    }
}
