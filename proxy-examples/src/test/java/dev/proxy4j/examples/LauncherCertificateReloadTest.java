package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --config FILE} with a TLS listener: PEM files replaced on disk are served to the next handshake. */
class LauncherCertificateReloadTest {

    @TempDir
    Path dir;

    private Server backend;
    private Launcher.Running running;

    @AfterEach
    void stopAll() throws Exception {
        if (running != null) {
            running.close();
        }
        if (backend != null) {
            backend.stop();
        }
    }

    @Test
    void replacedPemFilesAreServedToTheNextHandshake() throws Exception {
        pem("first.crt", "first.key", "first.example");
        pem("second.crt", "second.key", "second.example");
        move("first.crt", "tls.crt");
        move("first.key", "tls.key");
        backend = Quickstart.demoBackend("backend");
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, """
                listeners:
                  - host: 127.0.0.1
                    port: 0
                    tls:
                      certificates: {certificate: tls.crt, privateKey: tls.key}
                      watch: 100ms
                routes: [{pathPrefix: /, upstream: %s}]
                """.formatted(Quickstart.uri(backend)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.Outcome outcome = Launcher.launch(new String[] {"run", "--config", file.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(outcome.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        running = outcome.running();
        int port = running.proxy().port();
        assertThat(handshake(port)).isEqualTo("CN=first.example");

        move("second.key", "tls.key");
        move("second.crt", "tls.crt");

        String seen = handshake(port);
        for (int i = 0; i < 200 && !seen.equals("CN=second.example"); i++) {
            Thread.sleep(50);
            seen = handshake(port);
        }
        assertThat(seen).isEqualTo("CN=second.example");
    }

    private void move(String from, String to) throws Exception {
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void pem(String certificate, String key, String name) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve(key).toString(),
                "-out", dir.resolve(certificate).toString(), "-days", "2", "-subj", "/CN=" + name)
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(output).isTrue();
    }

    /** A new connection from a new TLS context: the subject of the certificate it is served. */
    private static String handshake(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** Test only: the certificates are self-signed. */
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
