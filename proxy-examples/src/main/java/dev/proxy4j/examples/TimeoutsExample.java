package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Timeouts, limits and the errors clients see: 504 from a slow backend, 502 from one that is down,
 * 413 for a body over the limit, 404 where no route matches. See docs/timeouts-and-errors.md.
 */
public final class TimeoutsExample {

    private TimeoutsExample() {
    }

    static ProxyServer start(int port, String slow, String down, String fast) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .responseHeadersTimeout(Duration.ofSeconds(10))   // proxy-wide; default 60 s
                .idleTimeout(Duration.ofSeconds(30))              // default 60 s
                .totalTimeout(Duration.ofMinutes(5))              // default: none
                .maxRequestBodyBytes(1024)                        // default 100 MiB
                .drainTimeout(Duration.ofSeconds(5))              // stop() waits this long for requests in flight
                // A route that sets a timeout takes the ones it does not set from Timeouts.DEFAULTS,
                // not from the proxy-wide values above: this route's total timeout is none.
                .route(r -> r.pathPrefix("/slow").responseHeadersTimeout(Duration.ofSeconds(1)).upstream(slow))
                .route(r -> r.pathPrefix("/down").upstream(u -> u.endpoint(down).connectTimeout(Duration.ofSeconds(1))))
                .route(r -> r.pathPrefix("/app").upstream(fast))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server slow = slowBackend();
        Server fast = Quickstart.demoBackend("fast");
        String down = "http://127.0.0.1:" + LoadBalancingExample.closedPort();
        ProxyServer proxy = start(port, Quickstart.uri(slow), down, Quickstart.uri(fast));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(slow);
            Quickstart.stopQuietly(fast);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; try:");
        System.out.println("  curl -i '" + base + "/slow?delay=200'       (200)");
        System.out.println("  curl -i '" + base + "/slow?delay=3000'      (504 after 1 s)");
        System.out.println("  curl -i " + base + "/down                   (502)");
        System.out.println("  head -c 2000 /dev/zero | curl -i --data-binary @- " + base + "/app   (413)");
        System.out.println("  curl -i " + base + "/nowhere                (404)");
    }

    /** A backend that waits {@code ?delay=MS} milliseconds before it answers. */
    static Server slowBackend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String delay = Request.extractQueryParameters(request).getValue("delay");
                Thread.sleep(delay == null ? 0 : Long.parseLong(delay));
                byte[] body = ("slow backend answered after " + delay + " ms\n").getBytes(StandardCharsets.UTF_8);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}
