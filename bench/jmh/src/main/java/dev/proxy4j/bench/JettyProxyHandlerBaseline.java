package dev.proxy4j.bench;

import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's own {@code ProxyHandler.Reverse} with its defaults, as a baseline for bench/run.sh:
 * {@code java -cp bench/jmh/target/benchmarks.jar dev.proxy4j.bench.JettyProxyHandlerBaseline PORT UPSTREAM_URL}.
 */
public final class JettyProxyHandlerBaseline {

    private JettyProxyHandlerBaseline() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String upstream = args[1].replaceAll("/$", "");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new ProxyHandler.Reverse(request -> org.eclipse.jetty.http.HttpURI.build(
                upstream + request.getHttpURI().getPathQuery())));
        server.start();
        System.out.println("jetty ProxyHandler.Reverse listening on port " + connector.getLocalPort());
        server.join();
    }
}
