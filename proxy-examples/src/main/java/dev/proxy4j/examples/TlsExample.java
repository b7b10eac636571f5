package dev.proxy4j.examples;

import dev.proxy4j.server.ProxyServer;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;

/**
 * TLS termination: HTTPS (HTTP/1.1 and HTTP/2 by ALPN) in front of a plain-HTTP backend, with a
 * certificate from a PKCS12/JKS key store or from PEM files. See docs/tls.md.
 */
public final class TlsExample {

    static final String USAGE = """
            usage: TlsExample STORE.p12|STORE.jks PASSWORD [PORT]
                   TlsExample --pem CERT.pem KEY.pem [PORT]      (KEY.pem: unencrypted PKCS#8, BEGIN PRIVATE KEY)

            a test certificate for localhost:
              keytool -genkeypair -alias localhost -keyalg EC -groupname secp256r1 -dname CN=localhost \\
                  -ext SAN=dns:localhost,ip:127.0.0.1 -validity 30 -storetype PKCS12 \\
                  -keystore localhost.p12 -storepass changeit
            or with openssl:
              openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \\
                  -keyout key.pem -out cert.pem -subj /CN=localhost \\
                  -addext subjectAltName=DNS:localhost,IP:127.0.0.1
            """;

    private TlsExample() {
    }

    public static void main(String[] args) throws Exception {
        boolean pem = args.length > 0 && args[0].equals("--pem");
        int required = pem ? 3 : 2;
        if (args.length < required || args.length > required + 1) {
            System.err.print(USAGE);
            System.exit(2);
        }
        int port = args.length > required ? Integer.parseInt(args[required]) : 8443;
        Server backend = Quickstart.demoBackend("backend");
        ProxyServer proxy;
        try {
            proxy = ProxyServer.builder()
                    .listenTls(port, tls -> {
                        if (pem) {
                            tls.pem(Path.of(args[1]), Path.of(args[2]));
                        } else {
                            tls.keyStore(Path.of(args[0]), args[1]);
                        }
                    })
                    .route(r -> r.pathPrefix("/").upstream(Quickstart.uri(backend)))
                    .build()
                    .start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A missing file, a wrong password or a key that is not PKCS#8: the message names the file.
            System.err.println(e.getMessage());
            Quickstart.stopQuietly(backend);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        System.out.println("proxy on https://localhost:" + proxy.port() + "; try (-k: the certificate is self-signed):");
        System.out.println("  curl -k -i https://localhost:" + proxy.port() + "/hello            (HTTP/2 if curl has it)");
        System.out.println("  curl -k -i --http1.1 https://localhost:" + proxy.port() + "/hello");
    }
}
