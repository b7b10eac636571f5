package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import dev.proxy4j.config.TlsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificates swapped on disk under a running proxy: the next handshake gets the new one, a
 * connection opened before keeps working with the old one, and a bad file changes nothing.
 */
class CertificateReloadTest {

    private static final Duration WATCH = Duration.ofMillis(100);

    @TempDir
    static Path keys;

    @TempDir
    Path served;

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Certificates.writePem(keys.resolve("first.crt"), keys.resolve("first.key"), "first.example");
        Certificates.writePem(keys.resolve("second.crt"), keys.resolve("second.key"), "second.example");
        Certificates.addToKeyStore(keys.resolve("first.p12"), "one", "first.example");
        Certificates.addToKeyStore(keys.resolve("second.p12"), "two", "second.example");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void aSwappedPemPairIsServedToTheNextHandshakeWhileAnOpenConnectionKeepsWorking(HttpClient.Version version)
            throws Exception {
        putPem("first");
        start(tls -> tls.pem(served.resolve("tls.crt"), served.resolve("tls.key")).watchInterval(WATCH));
        HttpClient open = client(version);
        HttpResponse<String> before = get(open);
        assertThat(before.version()).isEqualTo(version);
        assertThat(subject(before)).isEqualTo("CN=first.example");

        putPem("second");

        assertThat(awaitHandshakeWith("CN=second.example")).isEqualTo("CN=second.example");
        HttpResponse<String> after = get(open);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("reloaded");
        // The same connection: a new one would have been handed the second certificate.
        assertThat(subject(after)).isEqualTo("CN=first.example");
        assertThat(subject(get(client(version)))).isEqualTo("CN=second.example");
    }

    @Test
    void aSwappedKeyStoreIsServedToTheNextHandshake() throws Exception {
        Files.copy(keys.resolve("first.p12"), served.resolve("tls.p12"));
        start(tls -> tls.keyStore(served.resolve("tls.p12"), Certificates.PASSWORD).watchInterval(WATCH));
        assertThat(handshake()).isEqualTo("CN=first.example");

        replace(keys.resolve("second.p12"), served.resolve("tls.p12"));

        assertThat(awaitHandshakeWith("CN=second.example")).isEqualTo("CN=second.example");
    }

    @Test
    void aKeyOfAnotherCertificateKeepsTheOldOneAndIsLoggedAtWarnNamingTheFile() throws Exception {
        putPem("first");
        start(tls -> tls.pem(served.resolve("tls.crt"), served.resolve("tls.key")).watchInterval(WATCH));
        String expected = "WARN dev.proxy4j.jetty.internal.CertificateWatcher - tls listener 127.0.0.1:" + proxy.port()
                + ": certificates not reloaded, keeping the ones in use: tls private key: " + served.resolve("tls.key")
                + " (expected: the key of the certificate in " + served.resolve("tls.crt")
                + "; it belongs to another certificate)";

        try (CapturedErr err = new CapturedErr()) {
            replace(keys.resolve("second.key"), served.resolve("tls.key"));
            assertThat(err.await(expected)).contains(expected);
        }

        assertThat(handshake()).isEqualTo("CN=first.example");
        assertThat(get(client(HttpClient.Version.HTTP_1_1)).body()).isEqualTo("reloaded");
        // Still watching: the matching certificate, once it comes, is served.
        replace(keys.resolve("second.crt"), served.resolve("tls.crt"));
        assertThat(awaitHandshakeWith("CN=second.example")).isEqualTo("CN=second.example");
    }

    @Test
    void reloadCertificatesLoadsTheFilesNowAndNamesABadOne() throws Exception {
        putPem("first");
        start(tls -> tls.pem(served.resolve("tls.crt"), served.resolve("tls.key")).watch(false));
        putPem("second");

        assertThat(proxy.reloadCertificates()).isEqualTo(1);
        assertThat(handshake()).isEqualTo("CN=second.example");

        Files.writeString(served.resolve("tls.crt"), "not a certificate\n");
        assertThatThrownBy(() -> proxy.reloadCertificates())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tls certificate: " + served.resolve("tls.crt")
                        + " (expected: a readable PEM certificate chain: ");
        assertThat(handshake()).isEqualTo("CN=second.example");
    }

    @Test
    void postReloadOnTheAdminListenerLoadsTheCertificatesTooAndNamesABadOne() throws Exception {
        putPem("first");
        backend = TestBackend.answering("reloaded");
        proxy = ProxyServer.builder()
                .listenTls("127.0.0.1", 0, tls -> tls.pem(served.resolve("tls.crt"), served.resolve("tls.key")).watch(false))
                .admin(0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
        putPem("second");
        assertThat(handshake()).as("not watched: nothing changes by itself").isEqualTo("CN=first.example");

        HttpResponse<String> reloaded = postReload();

        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body())
                .isEqualTo("{\"status\":\"reloaded\",\"configuration\":\"not from a file\",\"certificates\":1}\n");
        assertThat(handshake()).isEqualTo("CN=second.example");

        Files.writeString(served.resolve("tls.crt"), "not a certificate\n");
        HttpResponse<String> refused = postReload();

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).startsWith("{\"status\":\"refused\",\"error\":\"tls certificate: "
                + served.resolve("tls.crt") + " (expected: a readable PEM certificate chain: ");
        assertThat(handshake()).as("the certificate in use stays").isEqualTo("CN=second.example");
    }

    @Test
    void aProxyWithoutTlsReloadsNothing() throws Exception {
        backend = TestBackend.answering("plain");
        proxy = ProxyServer.builder().listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/").upstream(backend.uri())).build().start();

        assertThat(proxy.reloadCertificates()).isZero();
    }

    private void start(Consumer<TlsConfig.Builder> tls) throws Exception {
        backend = TestBackend.answering("reloaded");
        proxy = ProxyServer.builder()
                .listenTls("127.0.0.1", 0, tls)
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
    }

    private void putPem(String name) throws Exception {
        replace(keys.resolve(name + ".key"), served.resolve("tls.key"));
        replace(keys.resolve(name + ".crt"), served.resolve("tls.crt"));
    }

    /** Copies beside the target and renames into place, as certificate tools do. */
    private static void replace(Path from, Path to) throws Exception {
        Path next = to.resolveSibling(to.getFileName() + ".next");
        Files.copy(from, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** New handshakes until one is served {@code subject}, for at most ten seconds; the last subject seen. */
    private String awaitHandshakeWith(String subject) throws Exception {
        String seen = handshake();
        for (int i = 0; i < 200 && !seen.equals(subject); i++) {
            Thread.sleep(50);
            seen = handshake();
        }
        return seen;
    }

    /** A new connection, from a new TLS context (no session to resume): the subject it is served. */
    private String handshake() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", proxy.port());
                SSLSocket socket = (SSLSocket) trustingEverything().getSocketFactory()
                        .createSocket(plain, "127.0.0.1", proxy.port(), true)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private HttpResponse<String> postReload() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient client(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder().version(version).sslContext(trustingEverything())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> get(HttpClient client) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + proxy.port() + "/"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    private static String subject(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
                .getSubjectX500Principal().getName();
    }

    private static SSLContext trustingEverything() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        return context;
    }

    /** Test only: the certificates are self-signed and name no address. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
