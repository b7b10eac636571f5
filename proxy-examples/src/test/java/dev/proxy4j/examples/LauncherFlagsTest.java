package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Flag mistakes named by the flag, in-process (no server is started). */
class LauncherFlagsTest {

    private static String refused(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.Outcome outcome = Launcher.launch(args, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(outcome.status()).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String printed(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Launcher.Outcome outcome = Launcher.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(outcome.status()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadTrustedProxyIsNamedByItsFlag() throws Exception {
        assertThat(refused("run", "--upstream", "http://127.0.0.1:9", "--trusted-proxy", "10.0.0.0/33"))
                .startsWith("proxy4j: --trusted-proxy: \"10.0.0.0/33\" (expected: an IP address or CIDR such as"
                        + " 10.0.0.0/8 or ::1/128)");
    }

    @Test
    void theAdminPortAndTheAccessLogFormatPrintAsTheirConfigKeys() throws Exception {
        assertThat(printed("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--admin-port", "9901",
                "--access-log-format", "combined"))
                .contains("accessLogFormat: combined\n", "admin:\n  port: 9901\n", "metrics: prometheus\n");
        assertThat(printed("run", "--print-config", "--upstream", "http://127.0.0.1:9"))
                .doesNotContain("admin", "metrics", "accessLogFormat");
    }

    @Test
    void eventLoopsPrintAsTheirConfigKeyAndABadCountIsNamedByItsFlag() throws Exception {
        assertThat(printed("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--event-loops", "1"))
                .contains("eventLoops: 1\n");
        assertThat(printed("run", "--print-config", "--upstream", "http://127.0.0.1:9", "--event-loops", "auto"))
                .contains("eventLoops: auto\n");
        assertThat(printed("run", "--print-config", "--upstream", "http://127.0.0.1:9")).doesNotContain("eventLoops");
        assertThat(refused("run", "--upstream", "http://127.0.0.1:9", "--event-loops", "0"))
                .startsWith("proxy4j: --event-loops: \"0\" (expected: a number 1..1024)");
    }
}
