package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.config.Limits;
import dev.proxy4j.config.RequestHygiene;
import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.file.ConfigFile;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --print-config} and {@code run --config}: flags and files are two spellings of one thing. */
class LauncherConfigFileTest {

    private record Result(int status, String out, String err) {
    }

    private static Result launch(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.Outcome outcome = Launcher.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(outcome.running()).as("no proxy left running").isNull();
        return new Result(outcome.status(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printConfigPrintsTheFileOfTheFlags() throws Exception {
        Result result = launch("run", "--print-config", "--port", "8080", "--upstream", "http://127.0.0.1:9000");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(Launcher.PRINTED_HEADER + """
                listeners:
                  - host: 0.0.0.0
                    port: 8080
                routes:
                  - pathPrefix: /
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9000
                """);
    }

    @Test
    void printConfigPrintsTheHealthCheckOfTheFlagForEveryUpstream() throws Exception {
        Result result = launch("run", "--print-config", "--port", "8080", "--route", "/api=http://127.0.0.1:9001",
                "--upstream", "http://127.0.0.1:9000", "--health-check", "/health,interval=2s,timeout=500ms,rise=3,fall=2");
        Result pathOnly = launch("run", "--print-config", "--port", "8080", "--upstream", "http://127.0.0.1:9000",
                "--health-check", "/ready");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(Launcher.PRINTED_HEADER + """
                listeners:
                  - host: 0.0.0.0
                    port: 8080
                routes:
                  - pathPrefix: /api
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9001
                      healthCheck:
                        path: /health
                        interval: 2s
                        timeout: 500ms
                        rise: 3
                        fall: 2
                  - pathPrefix: /
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9000
                      healthCheck:
                        path: /health
                        interval: 2s
                        timeout: 500ms
                        rise: 3
                        fall: 2
                """);
        assertThat(pathOnly.out()).endsWith("""
                      endpoints:
                        - http://127.0.0.1:9000
                      healthCheck: /ready
                """);
    }

    @Test
    void printConfigPrintsTheBalancerOfTheFlagForEveryUpstream() throws Exception {
        Result result = launch("run", "--print-config", "--port", "8080", "--route", "/api=http://127.0.0.1:9001",
                "--upstream", "http://127.0.0.1:9000", "--lb", "maglev:header:X-User");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(Launcher.PRINTED_HEADER + """
                listeners:
                  - host: 0.0.0.0
                    port: 8080
                routes:
                  - pathPrefix: /api
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9001
                      loadBalancer: maglev:header:X-User
                  - pathPrefix: /
                    upstream:
                      endpoints:
                        - http://127.0.0.1:9000
                      loadBalancer: maglev:header:X-User
                """);
    }

    @Test
    void theFilePrintedForEveryFlagGivesTheProxyTheFlagsDescribe(@TempDir Path dir) throws Exception {
        Result printed = launch("run", "--print-config", "--host", "127.0.0.1", "--port", "0",
                "--route", "/api=http://127.0.0.1:9001@3", "--route", "/api=http://127.0.0.1:9002",
                "--route", "/web=http://127.0.0.1:9003", "--upstream", "http://127.0.0.1:9000",
                "--upstream-http2", "--lb", "sticky-cookie:srv", "--max-connections", "8", "--max-body-size", "0",
                "--max-header-count", "250", "--escaped-slashes", "decode", "--no-merge-slashes", "--h2c-upgrade",
                "--allow-trace", "--allow-underscores-in-headers", "--allow-path-parameters", "--trusted-proxy", "10.0.0.0/8",
                "--no-access-log");
        assertThat(printed.status()).as(printed.err()).isZero();
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, printed.out());

        ProxyConfig config = ConfigFile.load(file);

        assertThat(config.listeners()).containsExactly(Listener.plain("127.0.0.1", 0));
        List<Route> routes = config.routes().routes();
        assertThat(routes).hasSize(3);
        assertThat(routes.get(0).upstream().orElseThrow().endpoints())
                .containsExactly(Endpoint.of("http://127.0.0.1:9001", 3), Endpoint.of("http://127.0.0.1:9002"));
        assertThat(routes.get(1).upstream().orElseThrow().endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9003"));
        assertThat(routes.get(2).upstream().orElseThrow().endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9000"));
        assertThat(routes).allSatisfy(route -> {
            assertThat(route.upstream().orElseThrow().protocol()).isEqualTo(UpstreamProtocol.HTTP_2);
            assertThat(route.upstream().orElseThrow().maxConnectionsPerEndpoint()).isEqualTo(8);
            assertThat(route.upstream().orElseThrow().loadBalancer()).hasToString("stickyCookie(srv, weightedRoundRobin)");
        });
        assertThat(config.routes().match(ProxyRequest.builder().path("/api/x").build())).contains(routes.get(0));
        assertThat(config.routes().match(ProxyRequest.builder().path("/apix").build())).contains(routes.get(2));
        assertThat(config.routes().match(ProxyRequest.builder().path("/web").build())).contains(routes.get(1));
        assertThat(config.limits().maxRequestBodyBytes()).isEqualTo(Limits.UNLIMITED);
        assertThat(config.limits().maxRequestHeaderCount()).isEqualTo(250);
        assertThat(config.hygiene()).isEqualTo(new RequestHygiene(true, true, true, false, EscapedSlashes.DECODE, true));
        assertThat(config.forwarding().isTrusted("10.9.9.9")).isTrue();
        assertThat(ConfigFile.read(file).accessLog()).isFalse();

        Result reprinted = launch("run", "--print-config", "--config", file.toString());
        assertThat(reprinted.out()).as("the file printed back is the file").isEqualTo(printed.out());
    }

    @Test
    void tcpFlagsPrintAsTcpListenersAndLoadBackAsThem(@TempDir Path dir) throws Exception {
        Result printed = launch("run", "--print-config", "--host", "127.0.0.1", "--tcp", "15432=10.0.0.5:5432",
                "--tcp", "0=db.internal:6379", "--proxy-protocol", "v2");

        assertThat(printed.status()).as(printed.err()).isZero();
        assertThat(printed.out()).isEqualTo(Launcher.PRINTED_HEADER + """
                tcp:
                  - host: 127.0.0.1
                    port: 15432
                    upstream: 10.0.0.5:5432
                    proxyProtocol: v2
                  - host: 127.0.0.1
                    port: 0
                    upstream: db.internal:6379
                    proxyProtocol: v2
                """);
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, printed.out());
        ProxyConfig config = ConfigFile.load(file);
        assertThat(config.listeners()).isEmpty();
        assertThat(config.tcpListeners()).hasSize(2);
        assertThat(config.tcpListeners().get(0).port()).isEqualTo(15432);
        assertThat(config.tcpListeners().get(0).upstream().endpoints()).containsExactly(Endpoint.of("http://10.0.0.5:5432"));
        assertThat(config.tcpListeners().get(1).proxyProtocol()).contains(dev.proxy4j.forward.ProxyProtocol.V2);
    }

    @Test
    void aRepeatedTcpPortIsOneListenerOverEachBackendWithTheBalancerAndTheCheck(@TempDir Path dir) throws Exception {
        Result printed = launch("run", "--print-config", "--host", "127.0.0.1", "--tcp", "15432=10.0.0.5:5432",
                "--tcp", "0=10.0.0.7:6379", "--tcp", "15432=10.0.0.6:5432", "--lb", "least-requests",
                "--health-check", "tcp,fall=2");

        assertThat(printed.status()).as(printed.err()).isZero();
        assertThat(printed.out()).isEqualTo(Launcher.PRINTED_HEADER + """
                tcp:
                  - host: 127.0.0.1
                    port: 15432
                    upstream:
                      endpoints:
                        - http://10.0.0.5:5432
                        - http://10.0.0.6:5432
                      loadBalancer: least-requests
                      healthCheck:
                        type: tcp
                        fall: 2
                  - host: 127.0.0.1
                    port: 0
                    upstream:
                      endpoints:
                        - http://10.0.0.7:6379
                      healthCheck:
                        type: tcp
                        fall: 2
                """);
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, printed.out());
        ProxyConfig config = ConfigFile.load(file);
        assertThat(config.tcpListeners()).hasSize(2);
        assertThat(config.tcpListeners().get(0).upstream().endpoints())
                .containsExactly(Endpoint.of("http://10.0.0.5:5432"), Endpoint.of("http://10.0.0.6:5432"));
        assertThat(config.tcpListeners().get(0).upstream().healthCheck())
                .contains(dev.proxy4j.upstream.HealthCheck.tcpBuilder().fall(2).build());
    }

    @Test
    void tlsFlagsAddATlsListenerWithThePemFiles(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).as("openssl").isZero();

        Result printed = launch("run", "--print-config", "--port", "0", "--tls-port", "0", "--cert", cert.toString(),
                "--key", key.toString(), "--upstream", "http://127.0.0.1:9000",
                "--sni-passthrough", "db.example.com=10.0.0.5:443");

        assertThat(printed.status()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("certificate: " + cert.toAbsolutePath(), "privateKey: " + key.toAbsolutePath());
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, printed.out());
        ProxyConfig config = ConfigFile.load(file);
        assertThat(config.listeners()).hasSize(2);
        assertThat(config.listeners().get(1).isSecure()).isTrue();
        assertThat(config.listeners().get(1).sniPassthrough()).containsOnlyKeys("db.example.com");
        assertThat(config.listeners().get(1).sniPassthrough().get("db.example.com").endpoints())
                .containsExactly(Endpoint.of("http://10.0.0.5:443"));
        assertThat(config.listeners().get(1).sniPassthrough().get("db.example.com").proxyProtocol()).isEmpty();

        // --proxy-protocol goes to the passthrough backends as well.
        Result sending = launch("run", "--print-config", "--port", "0", "--tls-port", "0", "--cert", cert.toString(),
                "--key", key.toString(), "--upstream", "http://127.0.0.1:9000",
                "--sni-passthrough", "db.example.com=10.0.0.5:443", "--proxy-protocol", "v2");
        assertThat(sending.status()).as(sending.err()).isZero();
        Files.writeString(file, sending.out());
        assertThat(ConfigFile.load(file).listeners().get(1).sniPassthrough().get("db.example.com").proxyProtocol())
                .contains(dev.proxy4j.forward.ProxyProtocol.V2);
    }

    @Test
    void sniPassthroughWithoutATlsListenerExitsWith2() throws Exception {
        Result result = launch("run", "--upstream", "http://127.0.0.1:9000", "--sni-passthrough", "a.test=10.0.0.5:443");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--sni-passthrough without --tls-port");
    }

    @Test
    void aTlsPortWithoutItsKeyExitsWith2() throws Exception {
        Result result = launch("run", "--tls-port", "8443", "--cert", "c.pem", "--upstream", "http://127.0.0.1:9000");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--tls-port: 8443 without --key (expected: --tls-port P --cert PEM --key PEM)");
    }

    @Test
    void rateLimitAndConnectionLimitFlagsPrintAsTheirConfigKeys() throws Exception {
        Result printed = launch("run", "--print-config", "--upstream", "http://127.0.0.1:9000",
                "--rate-limit", "10r/s,burst=20,nodelay", "--rate-limit", "600r/m,key=header:X-Api-Key",
                "--max-conns-per-ip", "16");

        assertThat(printed.status()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("""
                rateLimits:
                  - 10r/s,burst=20,nodelay
                  - 600r/m,key=header:X-Api-Key
                """).contains("""
                limits:
                  maxConnectionsPerIp: 16
                """);
        assertThat(launch("run", "--upstream", "http://127.0.0.1:9000", "--max-conns-per-ip", "0").err())
                .contains("--max-conns-per-ip");
    }

    @Test
    void allowAndDenyFlagsPrintAsAccessRulesInTheirOrder() throws Exception {
        Result printed = launch("run", "--print-config", "--upstream", "http://127.0.0.1:9000",
                "--allow", "10.0.0.0/8", "--deny", "all", "--security-headers", "--cache", "64m");

        assertThat(printed.status()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("""
                cache: 64m
                access:
                  - allow: 10.0.0.0/8
                  - deny: all
                securityHeaders: preset
                """);
        assertThat(launch("run", "--upstream", "http://127.0.0.1:9000", "--deny", "10.0.0.0/99").err())
                .contains("--deny: \"10.0.0.0/99\" (expected: an IP address, a CIDR such as 10.0.0.0/8 or fd00::/8, or all)");
    }

    @Test
    void aMalformedTcpFlagExitsWith2NamingIt() throws Exception {
        Result result = launch("run", "--tcp", "5432");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--tcp: \"5432\" (expected: PORT=HOST:PORT such as 5432=10.0.0.5:5432)");
    }

    @Test
    void aConfigFileWithAnotherFlagIsRefused(@TempDir Path dir) throws Exception {
        Result result = launch("run", "--config", dir.resolve("proxy4j.yaml").toString(), "--port", "9");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).startsWith("proxy4j: --config: --port given too (expected: every setting in the file,"
                + " or flags without --config)");
    }

    @Test
    void aConfigFileThatFailsValidationExitsWith2NamingTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, "listeners: [{port: 0}]\nroutes: [{upstream: \"htp://x\"}]\n");

        Result result = launch("run", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).startsWith("proxy4j: routes[0].upstream: \"htp://x\" (expected: an absolute http(s) URI"
                + " such as http://127.0.0.1:9000)");
    }
}
