package dev.proxy4j.examples;

import dev.proxy4j.cache.CacheKey;
import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.cache.InMemoryCacheStore;
import dev.proxy4j.server.ProxyServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A shared HTTP cache in front of a backend that counts its requests: hits carry Age and
 * Cache-Status, a catalogue route keys on one query parameter, an account route is left uncached.
 * See docs/caching.md.
 */
public final class CachingExample {

    /** How many requests the backend has answered. */
    static final AtomicInteger BACKEND_REQUESTS = new AtomicInteger();

    private CachingExample() {
    }

    static ProxyServer start(int port, String backend) {
        HttpCache cache = HttpCache.builder()
                .store(InMemoryCacheStore.of(64L * 1024 * 1024, 1024 * 1024)) // 64 MiB, objects up to 1 MiB
                .build();
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .cache(cache)                                                  // on every route ...
                .route(r -> r.pathPrefix("/account").cache(false).upstream(backend)) // ... but this one
                .route(r -> r.pathPrefix("/catalogue")
                        .cacheKey(CacheKey.builder().queryParams("page").build()) // ?utm_source=... ignored
                        .upstream(backend))
                .route(r -> r.pathPrefix("/").upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = countingBackend();
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; run each twice and watch Age, Cache-Status and the count:");
        System.out.println("  curl -i " + base + "/news                          (max-age=60)");
        System.out.println("  curl -i '" + base + "/catalogue?page=2&utm_source=x'");
        System.out.println("  curl -i -H 'If-None-Match: \"v1\"' " + base + "/news   (304 from the cache)");
        System.out.println("  curl -i -H 'Range: bytes=0-3' " + base + "/news       (206 from the cache)");
        System.out.println("  curl -i " + base + "/account                       (never cached)");
    }

    /** Answers {@code request N for PATH} with max-age=60 and an ETag, counting in {@link #BACKEND_REQUESTS}. */
    static Server countingBackend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                int n = BACKEND_REQUESTS.incrementAndGet();
                response.getHeaders().put("Cache-Control", "max-age=60");
                response.getHeaders().put("ETag", "\"v1\"");
                response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
                byte[] body = ("request " + n + " for " + request.getHttpURI().getPathQuery() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}
