package dev.proxy4j.testkit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty's WebSocket server as the tunnel tests' backend, on 127.0.0.1 and a free port: every
 * WebSocket gets {@link TunnelEndToEndTest.Echo} (messages up to 16 MiB, "chat" accepted as a
 * subprotocol when offered); a path ending in {@code /refuse} declines to switch with 403; a
 * request that asks for no switch is answered {@code plain, upgrade=<its Upgrade header>}.
 */
final class WebSocketEchoBackend implements AutoCloseable {

    private final Server server = new Server();
    private final URI uri;

    WebSocketEchoBackend() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(1 << 20);
            container.setMaxBinaryMessageSize(16 << 20);
            container.setMaxFrameSize(16 << 20);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/*", (request, response, callback) -> {
                if (request.getHttpURI().getPath().endsWith("/refuse")) {
                    org.eclipse.jetty.server.Response.writeError(request, response, callback, 403);
                    return null;
                }
                if (request.getSubProtocols().contains("chat")) {
                    response.setAcceptedSubProtocol("chat");
                }
                return new TunnelEndToEndTest.Echo();
            });
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    Callback callback) {
                String upgrade = String.valueOf(request.getHeaders().get("Upgrade"));
                response.write(true, StandardCharsets.UTF_8.encode("plain, upgrade=" + upgrade), callback);
                return true;
            }
        });
        server.setHandler(ws);
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
