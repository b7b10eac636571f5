package dev.proxy4j.examples;

import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.route.LocalHandler;
import dev.proxy4j.server.ProxyServer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Server;

/**
 * Answers the proxy gives by itself. A filter on the {@code /admin} route answers 403 without calling
 * the backend unless the client sends the right token; a {@code /healthz} route has a local target,
 * so no backend is involved at all. A server-wide filter tags every request and every response,
 * those answers included. The fourth worked example of docs/filters.md.
 */
public final class CustomFilterExample {

    static final String ADMIN_TOKEN = "letmein";

    /** Runs on every request: the backend gets {@code X-Tenant}, the client gets {@code X-Proxy-Filter}. */
    static final ProxyFilter TAG = (ctx, request, next) -> next
            .proceed(request.toBuilder()
                    .headers(request.headers().toBuilder().set("X-Tenant", "demo").build())
                    .build())
            .thenApply(response -> response.toBuilder()
                    .headers(response.headers().toBuilder().set("X-Proxy-Filter", "seen").build())
                    .build());

    /** Answers 403 itself, without calling the backend, when the token is missing or wrong. */
    static final ProxyFilter REQUIRE_TOKEN = (ctx, request, next) -> {
        if (!ADMIN_TOKEN.equals(request.headers().get("X-Admin-Token"))) {
            return CompletableFuture.completedFuture(ProxyResponse.text(403, "403 Forbidden\n"));
        }
        return next.proceed(request);
    };

    /** A route target of its own: the proxy's health, answered without a backend. */
    static final LocalHandler HEALTH = (ctx, request) -> {
        ProxyResponse ok = ProxyResponse.text(200, "ok\n");
        return CompletableFuture.completedFuture(ok.toBuilder()
                .headers(ok.headers().toBuilder().set("Cache-Control", "no-store").build())
                .build());
    };

    private CustomFilterExample() {
    }

    /** A started proxy on {@code port} (0 for a free one) in front of {@code backend}. */
    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .filter(TAG)                                           // server-wide: runs first, for every request
                .route(r -> r.path("/healthz").local(HEALTH))          // no backend behind this route
                .route(r -> r.pathPrefix("/admin").filter(REQUIRE_TOKEN).upstream(backend))
                .route(r -> r.pathPrefix("/").upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = Quickstart.demoBackend("backend");
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        int p = proxy.port();
        System.out.printf("""
                proxy on port %d; try:
                  curl -i http://127.0.0.1:%d/hello                                  (200, X-Proxy-Filter: seen)
                  curl -i http://127.0.0.1:%d/healthz                                (200 ok, from the proxy itself)
                  curl -i http://127.0.0.1:%d/admin/users                            (403 from the filter)
                  curl -i -H 'X-Admin-Token: %s' http://127.0.0.1:%d/admin/users     (200)
                """, p, p, p, p, ADMIN_TOKEN, p);
    }
}
