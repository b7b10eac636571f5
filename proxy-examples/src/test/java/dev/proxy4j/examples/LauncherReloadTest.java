package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --config FILE} in-process: a changed file reaches the running proxy through reconfigure(). */
class LauncherReloadTest {

    @TempDir
    Path dir;

    private Server a;
    private Server b;
    private Launcher.Running running;

    @BeforeEach
    void startBackends() throws Exception {
        a = Quickstart.demoBackend("a");
        b = Quickstart.demoBackend("b");
    }

    @AfterEach
    void stopAll() throws Exception {
        if (running != null) {
            running.close();
        }
        a.stop();
        b.stop();
    }

    private static String file(Server backend) {
        return "listeners: [{host: 127.0.0.1, port: 0}]\nroutes:\n  - pathPrefix: /\n    upstream: " + Quickstart.uri(backend) + "\n";
    }

    /** Replaces the file the way editors and deploy tools do: write aside, rename over. */
    private void replace(Path file, String text) throws Exception {
        Path aside = dir.resolve(".proxy4j.yaml.new");
        Files.writeString(aside, text);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private URI start(Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.Outcome outcome = Launcher.launch(new String[] {"run", "--config", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(outcome.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        running = outcome.running();
        return running.proxy().uri();
    }

    /** Polls for up to 10 s until a request lands on {@code backend}'s name. */
    private static void awaitBackend(URI proxy, String name) throws Exception {
        String last = "";
        for (int i = 0; i < 100; i++) {
            last = Http.get(proxy, "/x").body();
            if (last.startsWith(name + " got GET /x")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected requests to reach " + name + " but the last answer was: " + last);
    }

    @Test
    void aChangedFileSendsRequestsToTheNewBackendAndAnInvalidOneLeavesTheOldConfigServing() throws Exception {
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, file(a));
        URI proxy = start(file);
        assertThat(Http.get(proxy, "/x").body()).startsWith("a got GET /x");

        replace(file, file(b));
        awaitBackend(proxy, "b");

        Files.writeString(file, file(a).replace("http://", "htp://"));
        // Longer than the debounce and the reload: had the file been taken, requests would fail or go to a.
        Thread.sleep(1_000);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = Http.get(proxy, "/x");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("b got GET /x");
        }

        replace(file, file(a));
        awaitBackend(proxy, "a");
    }

    @Test
    void aFileThatChangesTheListenersIsRefusedByReconfigureAndTheProxyKeepsServing() throws Exception {
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, file(a));
        URI proxy = start(file);

        Files.writeString(file, file(b).replace("host: 127.0.0.1, port: 0", "host: 127.0.0.1, port: " + (proxy.getPort() == 1 ? 2 : 1)));
        Thread.sleep(1_000);

        assertThat(Http.get(proxy, "/x").body()).startsWith("a got GET /x");
    }

    @Test
    void noRequestFailsWhileTheFileIsReloadedUnderLoad() throws Exception {
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, file(a));
        URI proxy = start(file);
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + 4_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread client = new Thread(() -> {
                while (System.nanoTime() < deadline && failure.get() == null) {
                    try {
                        HttpResponse<String> response = Http.get(proxy, "/x");
                        if (response.statusCode() != 200) {
                            failure.compareAndSet(null, "status " + response.statusCode() + ": " + response.body());
                        }
                        seen.put(response.body().substring(0, 1), true);
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            }, "reload-load-client-" + t);
            client.start();
            clients.add(client);
        }
        for (int i = 0; i < 8; i++) {
            Thread.sleep(400);
            replace(file, file(i % 2 == 0 ? b : a));
        }
        for (Thread client : clients) {
            client.join(15_000);
        }

        assertThat(failure.get()).isNull();
        assertThat(ok.get()).isGreaterThan(50);
        assertThat(seen).containsOnlyKeys("a", "b");
    }

    @Test
    void postReloadOnTheAdminListenerReadsTheFileAgainOrSaysWhyNot() throws Exception {
        Path file = dir.resolve("proxy4j.yaml");
        String admin = "admin: {port: 0}\n";
        Files.writeString(file, file(a) + admin);
        URI proxy = start(file);
        URI reload = URI.create("http://127.0.0.1:" + running.proxy().adminPort() + "/reload");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(reload)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();

        Files.writeString(file, file(b).replace("http://", "htp://") + admin);
        HttpResponse<String> refused = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).startsWith("{\"status\":\"refused\",\"error\":\"routes[0].upstream: \\\"htp://");
        assertThat(Http.get(proxy, "/x").body()).startsWith("a got GET /x");

        Files.writeString(file, file(b) + admin);
        HttpResponse<String> reloaded = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(reloaded.body()).isEqualTo("{\"status\":\"reloaded\",\"configuration\":\"reloaded\",\"certificates\":0}\n");
        assertThat(Http.get(proxy, "/x").body()).startsWith("b got GET /x");
    }

    @Test
    void aReloadWithTheSameCacheSettingsKeepsTheStoredResponsesAndOtherSettingsStartEmpty() throws Exception {
        AtomicInteger fills = new AtomicInteger();
        com.sun.net.httpserver.HttpServer counting = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        counting.createContext("/", exchange -> {
            byte[] body = ("fill " + fills.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Cache-Control", "max-age=300");
            exchange.sendResponseHeaders(200, body.length);
            try (exchange; var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        counting.start();
        try {
            String routes = "listeners: [{host: 127.0.0.1, port: 0}]\nadmin: {port: 0}\nroutes:\n  - pathPrefix: /\n"
                    + "    upstream: http://127.0.0.1:" + counting.getAddress().getPort() + "\n";
            Path file = dir.resolve("proxy4j.yaml");
            Files.writeString(file, "cache: 1m\n" + routes);
            URI proxy = start(file);
            URI reload = URI.create("http://127.0.0.1:" + running.proxy().adminPort() + "/reload");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(reload)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
            assertThat(Http.get(proxy, "/page").body()).isEqualTo("fill 1");
            var cache = running.proxy().config().cache().orElseThrow();

            // the same cache settings, something else changed: the stored response is still there
            Files.writeString(file, "cache: {size: 1m}\naccessLog: false\n" + routes);
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"reloaded\",\"configuration\":\"reloaded\",\"certificates\":0}\n");
            HttpResponse<String> kept = Http.get(proxy, "/page");

            assertThat(running.proxy().config().accessLog()).isFalse();
            assertThat(running.proxy().config().cache()).containsSame(cache);
            assertThat(kept.body()).isEqualTo("fill 1");
            assertThat(kept.headers().firstValue("Cache-Status").orElse("")).startsWith("proxy4j; hit");

            // another size: a new, empty cache
            Files.writeString(file, "cache: 2m\naccessLog: false\n" + routes);
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"reloaded\",\"configuration\":\"reloaded\",\"certificates\":0}\n");
            assertThat(Http.get(proxy, "/page").body()).isEqualTo("fill 2");
            assertThat(fills).hasValue(2);
        } finally {
            counting.stop(0);
        }
    }
}
