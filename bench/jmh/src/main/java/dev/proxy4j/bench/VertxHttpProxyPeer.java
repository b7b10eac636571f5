package dev.proxy4j.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.httpproxy.HttpProxy;
import java.net.URI;

/**
 * Vert.x 5's reverse proxy ({@code io.vertx:vertx-http-proxy}) with its defaults, one verticle per
 * core, as a JVM peer for bench/run.sh:
 * {@code java -cp bench/jmh/target/benchmarks.jar dev.proxy4j.bench.VertxHttpProxyPeer PORT UPSTREAM_URL}.
 * HTTP/1.1 only: it forwards the backend's {@code Connection: keep-alive} to HTTP/2 clients, which
 * they reject as a protocol error.
 */
public final class VertxHttpProxyPeer extends VerticleBase {

    private final int port;
    private final URI upstream;

    private VertxHttpProxyPeer(int port, URI upstream) {
        this.port = port;
        this.upstream = upstream;
    }

    @Override
    public Future<?> start() {
        HttpClient client = vertx.createHttpClient();
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstream.getPort(), upstream.getHost());
        HttpServer server = vertx.createHttpServer();
        return server.requestHandler(proxy).listen(port, "127.0.0.1");
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        URI upstream = URI.create(args[1]);
        int verticles = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new VertxHttpProxyPeer(port, upstream), new DeploymentOptions().setInstances(verticles))
                .onSuccess(id -> System.out.println("vert.x http-proxy listening on port " + port + " (" + verticles + " verticles)"))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    vertx.close();
                    System.exit(1);
                });
    }
}
