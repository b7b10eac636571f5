package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.Upstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SNI passthrough: a ClientHello for a passthrough name goes, untouched, to a backend that does
 * the TLS itself (the client sees the backend's certificate); other names get the proxy's own TLS.
 */
@Timeout(60)
class SniPassthroughEndToEndTest {

    @TempDir
    static Path dir;
    private static Server tlsBackend;
    private static Server plainBackend;
    private static ProxyServer proxy;
    private static int tlsBackendPort;
    private static Path proxyKeyStore;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("backend.p12");
        run("keytool", "-genkeypair", "-alias", "backend", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=backend.test", "-ext", "SAN=dns:backend.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Path proxyStore = dir.resolve("proxy.p12");
        run("keytool", "-genkeypair", "-alias", "proxy", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=proxy.test", "-ext", "SAN=dns:proxy.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", proxyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");

        tlsBackend = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(store.toString());
        ssl.setKeyStorePassword("changeit");
        HttpConfiguration https = new HttpConfiguration();
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        ServerConnector tls = new ServerConnector(tlsBackend, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        tls.setHost("127.0.0.1");
        tlsBackend.addConnector(tls);
        tlsBackend.setHandler(answer("from the TLS backend"));
        tlsBackend.start();
        tlsBackendPort = tls.getLocalPort();
        proxyKeyStore = proxyStore;

        plainBackend = new Server();
        ServerConnector plain = new ServerConnector(plainBackend);
        plain.setHost("127.0.0.1");
        plainBackend.addConnector(plain);
        plainBackend.setHandler(answer("through the proxy's TLS"));
        plainBackend.start();

        Listener listener = Listener.tls("127.0.0.1", 0, TlsConfig.builder().keyStore(proxyStore, "changeit").build())
                .withSniPassthrough("Backend.Test", Upstream.of("http://127.0.0.1:" + tls.getLocalPort()));
        proxy = ProxyServer.builder()
                .accessLog(false)
                .listener(listener)
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:" + plain.getLocalPort()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        tlsBackend.stop();
        plainBackend.stop();
    }

    @Test
    void aPassthroughNameReachesTheBackendsOwnTls() throws Exception {
        Exchange exchange = get("backend.test");

        assertThat(exchange.certificate()).contains("CN=backend.test");
        assertThat(exchange.response()).startsWith("HTTP/1.1 200").endsWith("from the TLS backend");
    }

    @Test
    void anyOtherNameIsTheProxysOwnTls() throws Exception {
        Exchange exchange = get("proxy.test");

        assertThat(exchange.certificate()).contains("CN=proxy.test");
        assertThat(exchange.response()).startsWith("HTTP/1.1 200").endsWith("through the proxy's TLS");
    }

    @Test
    void aClientHelloWithoutANameIsTheProxysOwnTlsToo() throws Exception {
        Exchange exchange = get(null);

        assertThat(exchange.certificate()).contains("CN=proxy.test");
    }

    /** The server-wide allow/deny applies to passthrough connections: a denied client gets no byte of the backend's TLS. */
    @Test
    void aDeniedClientsPassthroughConnectionIsClosedAndLogged403() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<dev.proxy4j.log.RequestLog> logs = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ProxyServer denying = ProxyServer.builder().accessLog(false).requestLogListener(logs::add)
                .filter(dev.proxy4j.forward.IpAccess.builder().deny("127.0.0.0/8").build())
                .listener(Listener.tls("127.0.0.1", 0, TlsConfig.builder().keyStore(proxyKeyStore, "changeit").build())
                        .withSniPassthrough("backend.test", Upstream.of("http://127.0.0.1:" + tlsBackendPort)))
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:" + tlsBackendPort))
                .build().start()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(denying.port(), "backend.test"))
                    .isInstanceOf(IOException.class);
            dev.proxy4j.log.RequestLog denied = logs.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(denied).isNotNull();
            assertThat(denied.method()).isEqualTo("TCP");
            assertThat(denied.status()).isEqualTo(403);
        }
    }

    /**
     * A passthrough name's upstream is health-checked, by TCP connects (its backend does TLS, so a
     * plain GET would fail), and the status API shows it: the live backend passes, a closed port is down.
     */
    @Test
    void aPassthroughUpstreamsHealthCheckIsATcpConnect() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ProxyServer checking = ProxyServer.builder().accessLog(false)
                .listener(Listener.tls("127.0.0.1", 0, TlsConfig.builder().keyStore(proxyKeyStore, "changeit").build())
                        .withSniPassthrough("backend.test", Upstream.builder().name("passthrough")
                                .endpoint("http://127.0.0.1:" + tlsBackendPort).endpoint("http://127.0.0.1:" + closed)
                                .healthCheck(dev.proxy4j.upstream.HealthCheck.builder("/health")
                                        .interval(java.time.Duration.ofMillis(200)).build())
                                .build()))
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:" + tlsBackendPort))
                .build().start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> checks = List.of();
            while (System.nanoTime() < deadline) {
                checks = checking.upstream("passthrough").orElseThrow().endpointStatuses().stream()
                        .map(s -> s.health() + " " + s.lastHealthCheck().orElse("none")).toList();
                if (checks.stream().noneMatch(c -> c.endsWith("none"))
                        && checks.get(1).startsWith("UNHEALTHY")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(checks).containsExactly("HEALTHY passed: connected", "UNHEALTHY failed: connection refused");
            assertThat(get(checking.port(), "backend.test").certificate()).contains("CN=backend.test");
        }
    }

    /**
     * A passthrough upstream that sends the PROXY protocol gets the header before the ClientHello:
     * a TLS backend behind Jetty's PROXY decoder sees the client's own address and port, v1 and v2.
     */
    @Test
    void aPassthroughUpstreamWithTheProxyProtocolGetsTheHeaderBeforeTheClientHello() throws Exception {
        for (dev.proxy4j.forward.ProxyProtocol version : dev.proxy4j.forward.ProxyProtocol.values()) {
            Server behind = new Server();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(dir.resolve("backend.p12").toString());
            ssl.setKeyStorePassword("changeit");
            HttpConfiguration https = new HttpConfiguration();
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            customizer.setSniHostCheck(false);
            https.addCustomizer(customizer);
            SslConnectionFactory tls = new SslConnectionFactory(ssl, "http/1.1");
            ServerConnector connector = new ServerConnector(behind,
                    new org.eclipse.jetty.server.ProxyConnectionFactory(tls.getProtocol()), tls,
                    new HttpConnectionFactory(https));
            connector.setHost("127.0.0.1");
            behind.addConnector(connector);
            behind.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    response.write(true, StandardCharsets.UTF_8.encode(
                            "client " + Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request)), callback);
                    return true;
                }
            });
            behind.start();
            try (ProxyServer sending = ProxyServer.builder().accessLog(false)
                    .listener(Listener.tls("127.0.0.1", 0, TlsConfig.builder().keyStore(proxyKeyStore, "changeit").build())
                            .withSniPassthrough("backend.test", Upstream.builder().name("passthrough-proxy-protocol")
                                    .endpoint("http://127.0.0.1:" + connector.getLocalPort())
                                    .proxyProtocol(version).build()))
                    .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:" + tlsBackendPort))
                    .build().start()) {
                int[] clientPort = new int[1];
                Exchange exchange = get(sending.port(), "backend.test", clientPort);
                assertThat(exchange.certificate()).as(version.toString()).contains("CN=backend.test");
                assertThat(exchange.response()).as(version.toString()).endsWith("client 127.0.0.1:" + clientPort[0]);
            } finally {
                behind.stop();
            }
        }
    }

    private record Exchange(String certificate, String response) {
    }

    private static Exchange get(String serverName) throws Exception {
        return get(proxy.port(), serverName);
    }

    private static Exchange get(int port, String serverName) throws Exception {
        return get(port, serverName, new int[1]);
    }

    /** {@code clientPort}: set to the port the client's connection came from. */
    private static Exchange get(int port, String serverName, int[] clientPort) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEveryone()}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            clientPort[0] = socket.getLocalPort();
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String certificate = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            socket.getOutputStream().write(TestClient.head("GET / HTTP/1.1", "Host: "
                    + Optional.ofNullable(serverName).orElse("127.0.0.1"), "Connection: close")
                    .getBytes(StandardCharsets.US_ASCII));
            return new Exchange(certificate, new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Handler answer(String text) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, StandardCharsets.UTF_8.encode(text), callback);
                return true;
            }
        };
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of(command));
        line.set(0, Path.of(System.getProperty("java.home"), "bin", command[0]).toString());
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + output);
        }
    }

    /** The test's client trusts the self-signed certificates it is shown; what it sees is the point. */
    private static final class TrustEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
