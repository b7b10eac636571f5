package dev.proxy4j.examples;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.server.ProxyServer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * WebSocket through the proxy: {@code /chat} is a route like any other, with a filter that lets an
 * upgrade through only with a ticket (a stand-in for a real check), then the proxy tunnels the
 * connection to the backend. Plain requests on the same route pass as usual. See
 * docs/routing.md, "WebSocket and other upgrades".
 */
public final class WebSocketExample {

    private WebSocketExample() {
    }

    static ProxyConfig config(int port, String backend) {
        return ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", port))
                .route(r -> r.name("chat").pathPrefix("/chat")
                        .filter((ctx, request, next) -> {
                            if (request.upgrade().isEmpty()) {
                                return next.proceed(request);
                            }
                            String ticket = request.query() == null ? "" : request.query();
                            return ticket.equals("ticket=demo") ? next.proceed(request)
                                    : CompletableFuture.completedFuture(ProxyResponse.text(401, "a ticket, please\n"));
                        })
                        .upstream(backend))
                .build();
    }

    /** A WebSocket backend that echoes each text message, prefixed with "echo: ". */
    static Server echoBackend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/*", (request, response, callback) -> new Echo())));
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = echoBackend();
        ProxyServer proxy = ProxyServer.of(config(port, Quickstart.uri(backend))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        System.out.println("WebSocket echo behind the proxy: ws://127.0.0.1:" + proxy.port() + "/chat?ticket=demo");
        System.out.println("  e.g. websocat ws://127.0.0.1:" + proxy.port() + "/chat?ticket=demo  (without the ticket: 401)");
        Thread.currentThread().join();
    }

    /** Echoes text messages. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText("echo: " + message, Callback.NOOP);
        }
    }
}
