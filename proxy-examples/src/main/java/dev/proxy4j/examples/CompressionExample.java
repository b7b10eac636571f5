package dev.proxy4j.examples;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.compress.Compression;
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
 * Compression with the shared cache in front of a backend that sends identity JSON and counts its
 * requests: the cache keeps one copy, each answer is compressed for its own client (zstd, br, gzip,
 * or none), and a compressed ETag asked back with If-None-Match is a 304 from the cache.
 * See docs/compression.md.
 */
public final class CompressionExample {

    /** How many requests the backend has answered. */
    static final AtomicInteger BACKEND_REQUESTS = new AtomicInteger();

    /** The backend's answer: a JSON list of about 8 KiB, which compresses to a fraction. */
    static final String BODY = json();

    private CompressionExample() {
    }

    static ProxyServer start(int port, String backend) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .compression(Compression.defaults())        // zstd, br, gzip; text and JSON from 256 bytes
                .cache(HttpCache.inMemory(16L * 1024 * 1024)) // stores the identity; compressed on the way out
                .route(r -> r.pathPrefix("/").upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = backend();
        ProxyServer proxy = start(port, Quickstart.uri(backend));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + "; watch Content-Encoding, ETag, Vary and Cache-Status:");
        System.out.println("  curl -si --compressed " + base + "/items -o /dev/null -D -     (zstd, br or gzip)");
        System.out.println("  curl -si -H 'Accept-Encoding: gzip' " + base + "/items | head -12");
        System.out.println("  curl -si " + base + "/items | head -12                            (identity)");
        System.out.println("  curl -si -H 'Accept-Encoding: gzip' -H 'If-None-Match: \"items-1--gzip\"' " + base
                + "/items   (304)");
    }

    /** Answers {@link #BODY} as JSON with max-age=60 and an ETag, counting in {@link #BACKEND_REQUESTS}. */
    static Server backend() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                BACKEND_REQUESTS.incrementAndGet();
                response.getHeaders().put("Cache-Control", "max-age=60");
                response.getHeaders().put("ETag", "\"items-1\"");
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(BODY.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    private static String json() {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 100; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item ").append(i)
                    .append("\",\"price\":").append(10 + i % 7).append(".99,\"tags\":[\"proxy\",\"cache\"]}");
        }
        return json.append("]}").toString();
    }
}
