package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The quickstart: two demo backends on free ports and a proxy on 8080 balancing {@code /} over both
 * and sending {@code /b/...} to the second one with the prefix stripped. Ctrl-C stops everything.
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server one = demoBackend("backend-1");
        Server two = demoBackend("backend-2");
        String uriOne = uri(one);
        String uriTwo = uri(two);

        ProxyServer proxy = ProxyServer.builder()
                .listen(port)
                .route(r -> r.pathPrefix("/b").stripPrefix("/b").upstream(uriTwo))
                .route(r -> r.pathPrefix("/").upstream(u -> u.endpoint(uriOne).endpoint(uriTwo)))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            stopQuietly(one);
            stopQuietly(two);
        }, "quickstart-shutdown"));

        System.out.printf("""
                proxy4j quickstart: proxy on port %d, demo backends at %s and %s
                try:
                  curl -i http://127.0.0.1:%d/hello        (balanced over both backends: run it twice)
                  curl -i http://127.0.0.1:%d/b/hello      (always backend-2, which sees /hello)
                Ctrl-C to stop.
                """, proxy.port(), uriOne, uriTwo, proxy.port(), proxy.port());
    }

    /** A backend that answers every request with its name, the path it saw and the X-Forwarded-For it got. */
    static Server demoBackend(String name) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = name + " got " + request.getMethod() + " " + request.getHttpURI().getPathQuery()
                        + " (X-Forwarded-For: " + request.getHeaders().get("X-Forwarded-For") + ")\n";
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    /** {@code http://127.0.0.1:<port>} of a started demo backend. */
    static String uri(Server backend) {
        return "http://127.0.0.1:" + ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
    }

    static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("demo backend did not stop cleanly: " + e);
        }
    }
}
