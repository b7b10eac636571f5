package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The launcher as a user runs it: a separate JVM, flags on the command line, exit codes. */
class LauncherTest {

    private static Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String finish(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void documentsEveryFlagUnderHelp() throws Exception {
        Process process = launch("--help");
        String output = finish(process);

        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("--port", "--host", "--upstream", "--route", "--upstream-http2", "--lb",
                "--max-connections", "--max-body-size", "--max-header-count", "--allow-underscores-in-headers",
                "--allow-trace", "--h2c-upgrade", "--no-merge-slashes", "--escaped-slashes", "--trusted-proxy",
                "--no-access-log", "--tcp", "--proxy-protocol", "--tls-port", "--cert", "--key", "--sni-passthrough", "--allow", "--deny", "--security-headers",
                "--compress", "--static");
    }

    @Test
    void exitsWith2AndNamesTheFlagWhenAFlagIsUnknown() throws Exception {
        Process process = launch("run", "--upstream", "http://127.0.0.1:9", "--bogus");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: unknown flag '--bogus'");
    }

    @Test
    void exitsWith2AndNamesTheValueWhenAnUpstreamIsNotAUri() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "ftp://nowhere");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: endpoint: \"ftp://nowhere\"");
    }

    @Test
    void exitsWith2AndNamesTheFlagAndTheValueWhenTheBalancerIsUnknown() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--lb", "ring-hash:host");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --lb: \"ring-hash:host\" (expected: round-robin, weighted-round-robin,"
                + " random, least-requests, p2c, ring-hash:KEY, maglev:KEY or sticky-cookie:NAME, where KEY is ip, path,"
                + " header:NAME, cookie:NAME or query:NAME)");
    }

    @Test
    void exitsWith1AndSaysWhyWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process process = launch("run", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--upstream", "http://127.0.0.1:9");
            String output = finish(process);

            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output).contains("proxy4j: proxy failed to start: Failed to bind to /127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void exitsWith2AndNamesTheValueWhenAnEscapedSlashesActionIsUnknown() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--escaped-slashes", "allow");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --escaped-slashes: \"allow\" (expected: one of reject, keep, decode)");
    }

    @Test
    void aPercentEncodedPathCannotWalkAroundARoute() throws Exception {
        Server privateBackend = Quickstart.demoBackend("private");
        Server publicBackend = Quickstart.demoBackend("public");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1",
                "--route", "/private=" + Quickstart.uri(privateBackend), "--upstream", Quickstart.uri(publicBackend));
        List<String> output = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add(e.toString());
            }
        });
        pump.start();
        try {
            String announced = awaitLine(output, "proxy4j listening on port ");
            int port = Integer.parseInt(announced.substring("proxy4j listening on port ".length()));

            String encoded = raw(port, "GET /%70rivate/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String slash = raw(port, "GET /public%2F..%2Fprivate/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

            assertThat(encoded).contains("private got GET /private/x");
            assertThat(slash).startsWith("HTTP/1.1 400 ").endsWith("encoded slash or backslash in path\n");
            assertThat(awaitLine(output, "refused=")).contains("\"GET /public%2F..%2Fprivate/x HTTP/1.1\" 400 ")
                    .endsWith(" refused=escaped_slash");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);
            privateBackend.stop();
            publicBackend.stop();
        }
    }

    private static String raw(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void exitsWith2WhenNoBackendIsGiven() throws Exception {
        Process process = launch("run", "--port", "0");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: no backend");
    }

    @Test
    void runsAReverseProxyWithRoutesAndACatchAllAndLogsEachRequest() throws Exception {
        Server api = Quickstart.demoBackend("api");
        Server web = Quickstart.demoBackend("web");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1",
                "--route", "/api=" + Quickstart.uri(api), "--upstream", Quickstart.uri(web));
        List<String> output = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add(e.toString());
            }
        });
        pump.start();
        try {
            String announced = awaitLine(output, "proxy4j listening on port ");
            int port = Integer.parseInt(announced.substring("proxy4j listening on port ".length()));

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> toApi = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/users"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> toWeb = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(toApi.body()).startsWith("api got GET /api/users (X-Forwarded-For: 127.0.0.1)");
            assertThat(toWeb.body()).startsWith("web got GET /index.html");
            assertThat(awaitLine(output, "\"GET /api/users HTTP/1.1\""))
                    .contains("access - 127.0.0.1 \"GET /api/users HTTP/1.1\" 200 ")
                    .contains(" upstream=" + Quickstart.uri(api).substring("http://".length()) + " upstream_status=200 rid=");

            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("GET /bad HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                socket.getInputStream().readAllBytes();
            }
            assertThat(awaitLine(output, " 400 16 ")).as("a request Jetty refused is logged too")
                    .contains("access - 127.0.0.1 \"GET /bad HTTP/1.1\" 400 16 ");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);
            api.stop();
            web.stop();
        }
    }

    @Test
    void balancesWithTheFlagsBalancerStickyCookiesHere() throws Exception {
        Server a = Quickstart.demoBackend("a");
        Server b = Quickstart.demoBackend("b");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--upstream", Quickstart.uri(a), "--upstream", Quickstart.uri(b), "--lb", "sticky-cookie:srv");
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String announced = out.readLine();
            while (announced != null && !announced.startsWith("proxy4j listening on port ")) {
                announced = out.readLine();
            }
            assertThat(announced).as("the launcher's announcement").isNotNull();
            URI base = URI.create("http://127.0.0.1:" + announced.substring("proxy4j listening on port ".length()));

            HttpResponse<String> first = Http.get(base, "/x");
            String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).matches("srv=[0-9a-f]{16}; Path=/; HttpOnly");
            String backend = first.body().substring(0, 1);
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> again = Http.get(base, "/x", "Cookie", setCookie.substring(0, setCookie.indexOf(';')));
                assertThat(again.body()).startsWith(backend + " got GET /x");
                assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
            }
            // Without the cookie, weighted round-robin takes turns.
            assertThat(Http.get(base, "/x").body()).doesNotStartWith(backend);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            a.stop();
            b.stop();
        }
    }

    @Test
    void servesStaticFilesAndCompressesWithTheFlags(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path assets = java.nio.file.Files.createDirectory(dir.resolve("assets"));
        String css = "body { margin: 0; padding: 0; color: #333; }\n".repeat(200);
        java.nio.file.Files.writeString(assets.resolve("app.css"), css);
        java.nio.file.Files.writeString(assets.resolve("app.js"), "console.log('identity')");
        byte[] precompressed = {0x0b, 0x01, (byte) 0x80, 0x01, 0x02, 0x03};
        java.nio.file.Files.write(assets.resolve("app.js.br"), precompressed);
        java.nio.file.Files.writeString(dir.resolve("secret.txt"), "not served");
        Server web = Quickstart.demoBackend("web");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log", "--compress",
                "--static", "/assets=" + assets, "--upstream", Quickstart.uri(web));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String announced = out.readLine();
            while (announced != null && !announced.startsWith("proxy4j listening on port ")) {
                announced = out.readLine();
            }
            assertThat(announced).as("the launcher's announcement").isNotNull();
            URI base = URI.create("http://127.0.0.1:" + announced.substring("proxy4j listening on port ".length()));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(base.resolve("/assets/app.css"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(gzipped.headers().firstValue("Vary")).contains("Accept-Encoding");
            assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))
                    .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(css);
            HttpResponse<byte[]> sibling = client.send(HttpRequest.newBuilder(base.resolve("/assets/app.js"))
                    .header("Accept-Encoding", "gzip, br").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(sibling.headers().firstValue("Content-Encoding")).contains("br");
            assertThat(sibling.body()).isEqualTo(precompressed);
            HttpResponse<String> range = client.send(HttpRequest.newBuilder(base.resolve("/assets/app.css"))
                    .header("Range", "bytes=0-3").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo("body");
            assertThat(Http.get(base, "/other").body()).startsWith("web got GET /other");
            assertThat(raw(base.getPort(), "GET /assets/%2e%2e/secret.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
                    .doesNotContain("not served");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            web.stop();
        }
    }

    @Test
    void printsTheStaticAndCompressFlagsAsTheFileWouldHoldThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path site = java.nio.file.Files.createDirectory(dir.resolve("site"));
        Path assets = java.nio.file.Files.createDirectory(dir.resolve("assets"));
        Process process = launch("run", "--print-config", "--compress", "--static", "/=" + site,
                "--static", "/assets/=" + assets, "--route", "/api=http://127.0.0.1:9");
        String output = finish(process);

        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("compression: true");
        int api = output.indexOf("pathPrefix: /api");
        int assetsRoute = output.indexOf("pathPrefix: /assets");
        int siteRoute = output.indexOf("root: " + site);
        assertThat(api).isPositive();
        assertThat(assetsRoute).isGreaterThan(api);
        assertThat(siteRoute).as("the longest prefix first").isGreaterThan(assetsRoute);
        assertThat(output).contains("stripPrefix: /assets", "root: " + assets);
    }

    @Test
    void exitsWith2AndNamesTheFlagWhenAStaticDirectoryIsNone() throws Exception {
        Process process = launch("run", "--port", "0", "--static", "/assets=/no/such/dir");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --static: \"/assets=/no/such/dir\" (expected: a directory after =;");
        Process malformed = launch("run", "--port", "0", "--static", "assets");
        assertThat(finish(malformed)).contains("proxy4j: --static: \"assets\" (expected: PREFIX=DIR such as /assets=./public)");
    }

    @Test
    void exitsWith1NamingTheEncodingWhenBrotlisNativeLibraryIsMissing() throws Exception {
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("brotli4j" + java.io.File.separator + "native-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Launcher.class.getName(), "run", "--port", "0", "--compress",
                "--upstream", "http://127.0.0.1:9").redirectErrorStream(true).start();
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).contains("proxy4j: compression: br cannot be loaded (java.lang.UnsatisfiedLinkError:")
                .contains("or leave br out of the encodings").doesNotContain("\tat ");
    }

    /** Waits up to 20 s for a line containing {@code text}; fails showing what was printed. */
    private static String awaitLine(List<String> output, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (String line : output) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected a line containing " + text + " but the launcher printed: " + output);
    }

}
