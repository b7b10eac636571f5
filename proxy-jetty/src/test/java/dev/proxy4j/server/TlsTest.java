package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS termination: certificates from key stores and PEM, chosen by SNI, ALPN h2 and http/1.1. */
class TlsTest {

    @TempDir
    static Path dir;

    private TestBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        Path store = dir.resolve("two.p12");
        if (!Files.exists(store)) {
            Certificates.addToKeyStore(store, "a", "a.example.com");
            Certificates.addToKeyStore(store, "b", "b.example.com");
            Certificates.writePem(dir.resolve("c.pem"), dir.resolve("c.key"), "c.example.com");
        }
        backend = TestBackend.answering("secure");
        proxy = ProxyServer.builder()
                .listenTls("127.0.0.1", 0, tls -> tls
                        .keyStore(store, Certificates.PASSWORD)
                        .pem(dir.resolve("c.pem"), dir.resolve("c.key")))
                .route(r -> r.pathPrefix("/").upstream(backend.uri()))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.close();
    }

    private record Handshake(String subject, String protocol) {
    }

    private Handshake handshake(String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", proxy.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            if (sni != null) {
                parameters.setServerNames(List.of(new SNIHostName(sni)));
            }
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Handshake(served.getSubjectX500Principal().getName(), socket.getApplicationProtocol());
        }
    }

    @Test
    void servesTheCertificateTheClientAskedForBySni() throws Exception {
        assertThat(handshake("a.example.com").subject()).isEqualTo("CN=a.example.com");
        assertThat(handshake("b.example.com").subject()).isEqualTo("CN=b.example.com");
        assertThat(handshake("c.example.com").subject()).isEqualTo("CN=c.example.com");
    }

    @Test
    void negotiatesHttp2ByAlpn() throws Exception {
        assertThat(handshake("a.example.com").protocol()).isEqualTo("h2");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void forwardsRequestsArrivingOverTlsAndTellsTheBackendTheSchemeWasHttps(Clients protocol) throws Exception {
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("https://127.0.0.1:" + proxy.port() + "/x")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("secure");
            assertThat(response.getVersion().asString()).isEqualTo(protocol == Clients.HTTP_1_1 ? "HTTP/1.1" : "HTTP/2.0");
            assertThat(backend.take().header("X-Forwarded-Proto")).isEqualTo("https");
        } finally {
            client.stop();
        }
    }

    @Test
    void failsAtBuildNamingTheKeyStoreWhenThePasswordIsWrong() {
        Path store = dir.resolve("two.p12");

        assertThatThrownBy(() -> ProxyServer.builder()
                .listenTls(0, tls -> tls.keyStore(store, "wrong"))
                .route(r -> r.pathPrefix("/").upstream(backend.uri())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tls keyStore: " + store + " (expected: a readable PKCS12 key store with the given password");
    }

    @Test
    void failsAtBuildNamingThePemKeyWhenItIsNotPkcs8() throws Exception {
        Path rsa = dir.resolve("rsa.key");
        Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> ProxyServer.builder()
                .listenTls(0, tls -> tls.pem(dir.resolve("c.pem"), rsa)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + rsa + " (expected: an unencrypted PKCS#8 key, BEGIN PRIVATE KEY;"
                        + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
    }

    @Test
    void failsAtBuildNamingBothFilesWhenThePemKeyBelongsToAnotherCertificate() throws Exception {
        Path other = dir.resolve("d.pem");
        Path otherKey = dir.resolve("d.key");
        Certificates.writePem(other, otherKey, "d.example.com");

        assertThatThrownBy(() -> ProxyServer.builder()
                .listenTls(0, tls -> tls.pem(dir.resolve("c.pem"), otherKey)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + otherKey + " (expected: the key of the certificate in "
                        + dir.resolve("c.pem") + "; it belongs to another certificate)");
    }

    /** Test only: the certificates are self-signed. */
    private static final class TrustEverything implements X509TrustManager {
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
