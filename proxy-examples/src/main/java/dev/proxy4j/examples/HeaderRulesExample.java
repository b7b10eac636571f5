package dev.proxy4j.examples;

import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.server.ProxyServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Header rules on a route (set and remove request headers, hide what reveals the backend, strip
 * cookies, add a response header) and the forwarding policy (a trusted proxy, Forwarded on, a Via
 * name). The backend echoes the headers it got. See docs/headers.md.
 */
public final class HeaderRulesExample {

    private HeaderRulesExample() {
    }

    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .forwarding(f -> f
                        .trustedProxies("127.0.0.1")                         // believe X-Forwarded-* from here
                        .emit(EnumSet.allOf(ForwardedHeader.class))          // the defaults plus Forwarded
                        .viaPseudonym("edge-1"))
                .route(r -> r.pathPrefix("/").headers(h -> h
                                .setRequestHeader("X-Env", "demo")
                                .removeRequestHeader("X-Debug")
                                .stripRequestCookies()
                                .hideResponseHeaders("Server", "X-Powered-By")
                                .stripResponseCookies()
                                .addResponseHeader("X-Frame-Options", "DENY"))
                        .upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = echoBackend();
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        System.out.println("proxy on port " + proxy.port() + "; compare the backend's answer direct and through the proxy:");
        System.out.println("  curl -i -H 'X-Debug: 1' -H 'Cookie: a=b' " + Quickstart.uri(backend) + "/");
        System.out.println("  curl -i -H 'X-Debug: 1' -H 'Cookie: a=b' -H 'X-Forwarded-For: 203.0.113.7'"
                + " http://127.0.0.1:" + proxy.port() + "/");
    }

    /** A backend that answers with the request headers it got, and reveals itself with Server, X-Powered-By and a cookie. */
    static Server echoBackend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                StringBuilder body = new StringBuilder(request.getMethod() + " " + request.getHttpURI().getPathQuery() + "\n");
                for (HttpField field : request.getHeaders()) {
                    body.append(field.getName()).append(": ").append(field.getValue()).append('\n');
                }
                response.getHeaders().put("X-Powered-By", "demo-framework/1.2");
                response.getHeaders().put("Set-Cookie", "session=abc; HttpOnly");
                response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}
