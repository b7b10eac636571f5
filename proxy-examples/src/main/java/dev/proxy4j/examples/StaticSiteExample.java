package dev.proxy4j.examples;

import dev.proxy4j.compress.Compression;
import dev.proxy4j.compress.Encoding;
import dev.proxy4j.route.StaticFiles;
import dev.proxy4j.server.ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;

/**
 * A site at the edge: its files served by the proxy (ETags, ranges, precompressed siblings), its
 * API forwarded to a backend, and everything compressed on the way out for clients that accept it.
 * See docs/static-files.md and docs/compression.md.
 */
public final class StaticSiteExample {

    private StaticSiteExample() {
    }

    static ProxyServer start(int port, Path site, String api) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                // zstd, br and gzip for text of 256 bytes or more; images and archives pass as they are.
                .compression(Compression.defaults())
                .route(r -> r.pathPrefix("/api").upstream(api))
                // Exports are fetched by tools that want Content-Length and ranges: sent as they are.
                .route(r -> r.pathPrefix("/downloads").stripPrefix("/downloads").compression(Compression.off())
                        .local(StaticFiles.builder(site.resolve("downloads")).precompressed(false).build()))
                .route(r -> r.pathPrefix("/").staticFiles(site))
                .build()
                .start();
    }

    /** A small site: an index, a stylesheet worth compressing, a script with its brotli sibling, a download. */
    static Path demoSite(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("downloads"));
        Files.writeString(dir.resolve("index.html"), "<!doctype html><link rel=stylesheet href=site.css><h1>proxy4j</h1>\n");
        Files.writeString(dir.resolve("site.css"), "h1 { font-family: sans-serif; color: #222; margin: 1em; }\n".repeat(50));
        Files.writeString(dir.resolve("app.js"), "console.log('hello from the edge');\n".repeat(20));
        Files.write(dir.resolve("app.js.br"), brotliOf(Files.readAllBytes(dir.resolve("app.js"))));
        Files.writeString(dir.resolve("downloads").resolve("export.csv"), "id,name\n1,proxy4j\n".repeat(4000));
        return dir;
    }

    /** What a build step (brotli -k app.js) would leave beside the file. */
    private static byte[] brotliOf(byte[] bytes) throws IOException {
        com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
        return com.aayushatharva.brotli4j.encoder.Encoder.compress(bytes);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Path site = demoSite(Files.createTempDirectory("proxy4j-site"));
        Server api = Quickstart.demoBackend("api");
        ProxyServer proxy = start(port, site, Quickstart.uri(api));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(api);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on " + base + " serving " + site + "; try:");
        System.out.println("  curl -i --compressed " + base + "/site.css          (Content-Encoding: zstd, br or gzip)");
        System.out.println("  curl -i -H 'Accept-Encoding: br' " + base + "/app.js --output -   (the app.js.br sibling)");
        System.out.println("  curl -i -H 'Range: bytes=0-9' " + base + "/site.css   (206)");
        System.out.println("  curl -i " + base + "/api/users                   (forwarded)");
        System.out.println("Encodings offered: " + Encoding.GZIP + ", " + Encoding.BROTLI + ", " + Encoding.ZSTD);
    }
}
