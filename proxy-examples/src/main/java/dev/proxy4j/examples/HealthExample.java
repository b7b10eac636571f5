package dev.proxy4j.examples;

import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.route.LocalHandler;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.OutlierDetection;
import dev.proxy4j.upstream.Upstream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Health over three backends: an active check of {@code /health} on each (rise 2, fall 3), outlier
 * detection that ejects a backend after 3 errors in a row, and a {@code /upstreams} route answered by
 * the proxy itself that shows each backend's health from {@link Upstream#endpointStatuses()}. Backend
 * {@code c} can be made sick and well again: {@code POST /sick} and {@code POST /well} on it.
 * See docs/load-balancing.md.
 */
public final class HealthExample {

    private HealthExample() {
    }

    /** The upstream of the example, checking every {@code interval}. */
    static Upstream upstream(Duration interval, String... endpoints) {
        Upstream.Builder b = Upstream.builder().name("api")
                .healthCheck(HealthCheck.builder("/health").interval(interval).rise(2).fall(3).build())  // --health-check /health
                .outlierDetection(OutlierDetection.defaults().withConsecutive5xx(3));
        for (String endpoint : endpoints) {
            b.endpoint(endpoint);
        }
        return b.build();
    }

    /** One line per endpoint: what an admin page would show. */
    static LocalHandler statusPage(Upstream upstream) {
        return (ctx, request) -> {
            StringBuilder page = new StringBuilder();
            for (EndpointStatus s : upstream.endpointStatuses()) {
                page.append(s.endpoint().uri()).append(' ').append(s.health())
                        .append(s.ejected() ? " ejected for " + s.ejectedFor().orElseThrow().toMillis() + "ms" : "")
                        .append(s.selectable() ? "" : " (not selected)")
                        .append(" inFlight=").append(s.inFlight())
                        .append(" lastCheck=").append(s.lastHealthCheck().orElse("none")).append('\n');
            }
            ProxyResponse ok = ProxyResponse.text(200, page.toString());
            return CompletableFuture.completedFuture(ok.toBuilder()
                    .headers(ok.headers().toBuilder().set("Cache-Control", "no-store").build()).build());
        };
    }

    /** A started proxy on {@code port} (0 for a free one) over {@code upstream}. */
    static ProxyServer start(int port, Upstream upstream) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.path("/upstreams").local(statusPage(upstream)))
                .route(r -> r.pathPrefix("/").upstream(upstream))
                .build()
                .start();
    }

    /**
     * A backend that answers every request with its name, {@code /health} with 200 or 503 as
     * {@code well} says, and flips {@code well} on {@code POST /sick} and {@code POST /well}.
     */
    static Server switchableBackend(String name, AtomicBoolean well) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                if ("POST".equals(request.getMethod()) && (path.equals("/sick") || path.equals("/well"))) {
                    well.set(path.equals("/well"));
                }
                String body;
                if (path.equals("/health")) {
                    response.setStatus(well.get() ? 200 : 503);
                    body = well.get() ? "UP\n" : "DOWN\n";
                } else {
                    body = name + " got " + request.getMethod() + " " + request.getHttpURI().getPathQuery() + "\n";
                }
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server a = Quickstart.demoBackend("a");
        Server b = Quickstart.demoBackend("b");
        Server c = switchableBackend("c", new AtomicBoolean(true));
        ProxyServer proxy = start(port, upstream(HealthCheck.DEFAULT_INTERVAL, Quickstart.uri(a), Quickstart.uri(b),
                Quickstart.uri(c)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            List.of(a, b, c).forEach(Quickstart::stopQuietly);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; try:");
        System.out.println("  curl -s " + base + "/upstreams                 (each backend's health)");
        System.out.println("  curl -s -X POST " + Quickstart.uri(c) + "/sick; sleep 4; curl -s " + base + "/upstreams");
        System.out.println("  for i in 1 2 3 4; do curl -s " + base + "/; done   (a and b only)");
        System.out.println("  curl -s -X POST " + Quickstart.uri(c) + "/well; sleep 3; curl -s " + base + "/upstreams");
    }
}
