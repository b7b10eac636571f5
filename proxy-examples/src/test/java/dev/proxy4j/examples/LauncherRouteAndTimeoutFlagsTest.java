package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.route.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** --strip-prefix and the timeout flags: printed as their config keys, refused by their flag, and in force. */
class LauncherRouteAndTimeoutFlagsTest {

    private static Launcher.Outcome launch(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args)
            throws Exception {
        return Launcher.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String printed(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(launch(out, err, args).status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String refused(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(launch(new ByteArrayOutputStream(), err, args).status()).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stripPrefixAndTimeoutsPrintAsTheirConfigKeys() throws Exception {
        String file = printed("run", "--print-config", "--route", "/one=http://127.0.0.1:9", "--strip-prefix",
                "--connect-timeout", "2s", "--response-timeout", "30s", "--idle-timeout", "0");

        assertThat(file).contains("rewrite:\n      stripPrefix: /one\n", "connectTimeout: 2s\n",
                "timeouts:\n  responseHeaders: 30s\n  idle: 0\n");
        assertThat(printed("run", "--print-config", "--route", "/one=http://127.0.0.1:9"))
                .doesNotContain("rewrite", "timeouts", "connectTimeout");
    }

    @Test
    void aBadTimeoutIsNamedByItsFlag() throws Exception {
        assertThat(refused("run", "--upstream", "http://127.0.0.1:9", "--response-timeout", "soon"))
                .startsWith("proxy4j: --response-timeout: \"soon\" (expected: a positive duration such as 500ms or 30s,"
                        + " or 0 for none)");
        assertThat(refused("run", "--upstream", "http://127.0.0.1:9", "--connect-timeout", "0"))
                .startsWith("proxy4j: --connect-timeout: \"0\" (expected: a positive duration such as 500ms or 30s)");
    }

    @Test
    void aRouteKeepsItsPrefixUnlessTheFlagSaysToStripIt() throws Exception {
        Server backend = Quickstart.demoBackend("app");
        try {
            assertThat(get(backend, "run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                    "--route", "/one=" + Quickstart.uri(backend))).startsWith("app got GET /one/x");
            assertThat(get(backend, "run", "--port", "0", "--host", "127.0.0.1", "--no-access-log",
                    "--route", "/one=" + Quickstart.uri(backend), "--strip-prefix")).startsWith("app got GET /x");
        } finally {
            backend.stop();
        }
    }

    @Test
    void theTimeoutsAreInForce() throws Exception {
        Launcher.Outcome outcome = launch(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "run", "--port", "0",
                "--host", "127.0.0.1", "--no-access-log", "--upstream", "http://127.0.0.1:9", "--connect-timeout", "2s",
                "--response-timeout", "30s", "--idle-timeout", "0");
        try {
            var config = outcome.running().proxy().config();
            assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(30), Duration.ZERO,
                    Timeouts.DEFAULT_TOTAL));
            assertThat(config.upstreams().get(0).connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        } finally {
            outcome.running().close();
        }
    }

    /** GET /one/x through a launcher started with {@code args}, then stops it. */
    private static String get(Server backend, String... args) throws Exception {
        Launcher.Outcome outcome = launch(new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
        try {
            URI uri = outcome.running().proxy().uri().resolve("/one/x");
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            outcome.running().close();
        }
    }
}
