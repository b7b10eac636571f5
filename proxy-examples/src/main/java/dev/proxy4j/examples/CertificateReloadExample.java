package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.Server;

/**
 * Certificates renewed under a running proxy: the PEM files are watched every two seconds, and a
 * line {@code reload} on standard input reloads them at once through the API. New handshakes get
 * the new certificate; open connections keep theirs. See docs/tls.md#certificate-reload.
 */
public final class CertificateReloadExample {

    static final String USAGE = """
            usage: CertificateReloadExample CERT.pem KEY.pem [PORT]

            then replace the two files (write beside them, then rename into place), for example:
              openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \\
                  -keyout next.key -out next.crt -subj /CN=renewed.localhost
              mv next.key KEY.pem && mv next.crt CERT.pem
            and watch the subject change for new connections:
              openssl s_client -connect localhost:PORT </dev/null 2>/dev/null | grep subject=
            """;

    private CertificateReloadExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.print(USAGE);
            System.exit(2);
        }
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 8443;
        Server backend = Quickstart.demoBackend("backend");
        ProxyServer proxy;
        try {
            proxy = ProxyServer.builder()
                    .listenTls(port, tls -> tls
                            .pem(Path.of(args[0]), Path.of(args[1]))
                            .watchInterval(Duration.ofSeconds(2)))
                    .route(r -> r.pathPrefix("/").upstream(Quickstart.uri(backend)))
                    .build()
                    .start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            Quickstart.stopQuietly(backend);
            System.exit(2);
            return;
        }
        System.out.println("proxy on https://localhost:" + proxy.port() + "; the files are watched every 2s;"
                + " type reload to reload them now, or stop");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.trim().equals("stop"); ) {
            if (line.trim().equals("reload")) {
                try {
                    System.out.println("reloaded " + proxy.reloadCertificates() + " TLS listener(s)");
                } catch (IllegalArgumentException e) {
                    // The proxy keeps the certificates it has; the message names the file.
                    System.out.println("not reloaded: " + e.getMessage());
                }
            }
        }
        proxy.stop();
        Quickstart.stopQuietly(backend);
    }
}
