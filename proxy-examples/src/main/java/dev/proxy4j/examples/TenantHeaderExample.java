package dev.proxy4j.examples;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.route.PathRewrites;
import dev.proxy4j.server.ProxyServer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;

/**
 * Header filters in both scopes. A server-wide filter, which runs before routing, remembers the path
 * the client sent in an attribute and stamps every response, 404s included, with {@code Server-Timing}.
 * A route filter, which runs after routing on the rewritten path, sends the backend {@code X-Tenant}
 * from the route's path variable and {@code X-Original-Path} from the attribute, and echoes
 * {@code X-Tenant} on the response. The backend echoes the headers it got. See docs/filters.md.
 */
public final class TenantHeaderExample {

    /** Left by {@link #TIMING} for the filters after it: the path before any rewrite. */
    static final AttributeKey<String> ORIGINAL_PATH = AttributeKey.of("originalPath", String.class);

    /** Server-wide: remembers the original path; adds {@code Server-Timing: proxy;dur=<ms>} to every response. */
    static final ProxyFilter TIMING = (ctx, request, next) -> {
        ctx.setAttr(ORIGINAL_PATH, request.path());
        long start = ctx.ticker().nanos();
        return next.proceed(request).thenApply(response -> {
            long micros = TimeUnit.NANOSECONDS.toMicros(ctx.ticker().nanos() - start);
            return response.toBuilder()
                    .headers(response.headers().toBuilder()
                            .add("Server-Timing", "proxy;dur=" + micros / 1000 + "." + micros % 1000 / 100)
                            .build())
                    .build();
        });
    };

    /** On the tenant route: {@code X-Tenant} and {@code X-Original-Path} to the backend, {@code X-Tenant} back. */
    static final ProxyFilter TENANT = (ctx, request, next) -> {
        String tenant = ctx.pathVariables().get("tenant");
        return next.proceed(request.toBuilder()
                        .headers(request.headers().toBuilder()
                                .set("X-Tenant", tenant)
                                .set("X-Original-Path", ctx.attr(ORIGINAL_PATH).orElse(request.path()))
                                .build())
                        .build())
                .thenApply(response -> response.toBuilder()
                        .headers(response.headers().toBuilder().set("X-Tenant", tenant).build())
                        .build());
    };

    private TenantHeaderExample() {
    }

    /** A started proxy on {@code port} (0 for a free one): {@code /tenants/{tenant}/...} goes to {@code backend} as {@code /...}. */
    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .filter(TIMING)                                            // server-wide: before routing
                .route(r -> r.pathTemplate("/tenants/{tenant}/{*rest}")
                        .rewrite(PathRewrites.template("/tenants/{tenant}/{*rest}", "/{*rest}"))
                        .filter(TENANT)                                    // after routing and the rewrite
                        .upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = HeaderRulesExample.echoBackend();
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        int p = proxy.port();
        System.out.printf("""
                proxy on port %d; try:
                  curl -i http://127.0.0.1:%d/tenants/acme/orders/7   (backend sees /orders/7 with X-Tenant: acme)
                  curl -i http://127.0.0.1:%d/nowhere                 (404, still with Server-Timing)
                """, p, p, p);
    }
}
