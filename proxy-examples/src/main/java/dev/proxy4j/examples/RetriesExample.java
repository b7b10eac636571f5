package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.RetryPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Safe retries over a flaky backend (it answers every other request 503) and a steady one: GETs and
 * PUTs, idempotent, are tried again on the other backend (a PUT's body replayed from memory), so the
 * client never sees the 503; a POST is sent once, and a 503 for it goes back to the client as it is.
 * See docs/load-balancing.md#retries.
 */
public final class RetriesExample {

    private RetriesExample() {
    }

    static ProxyServer start(int port, String flaky, String steady) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/").upstream(u -> u
                        .endpoint(flaky)
                        .endpoint(steady)
                        .retryPolicy(RetryPolicy.builder()
                                .retries(2)                              // attempts after the first (default 2)
                                .perTryTimeout(Duration.ofSeconds(2))    // a slow attempt gives way to another
                                .maxReplayBodyBytes(16 * 1024)           // bodies up to 16 KiB are sent again
                                .build())))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server flaky = flakyBackend(new AtomicInteger());
        Server steady = Quickstart.demoBackend("steady");
        ProxyServer proxy = start(port, Quickstart.uri(flaky), Quickstart.uri(steady));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(flaky);
            Quickstart.stopQuietly(steady);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; try:");
        System.out.println("  for i in 1 2 3 4; do curl -s " + base + "/a; done       (never a 503)");
        System.out.println("  curl -s -X PUT --data-binary hello " + base + "/doc       (never a 503)");
        System.out.println("  for i in 1 2 3 4; do curl -s -X POST -d x " + base + "/order; done   (a 503 now and then)");
    }

    /**
     * A backend that answers every other request (the first, the third, ...) {@code 503} with
     * {@code Retry-After: 0}, and the others 200 with what it read; {@code received} counts requests.
     */
    static Server flakyBackend(AtomicInteger received) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                String answer;
                if (received.incrementAndGet() % 2 == 1) {
                    response.setStatus(503);
                    response.getHeaders().put("Retry-After", "0");
                    answer = "flaky is busy\n";
                } else {
                    answer = "flaky got " + request.getMethod() + " " + request.getHttpURI().getPath()
                            + " with " + body.length() + " bytes\n";
                }
                response.write(true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}
