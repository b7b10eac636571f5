package dev.proxy4j.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes throwaway certificates with the JDK's keytool and with openssl, for TLS tests. */
final class Certificates {

    static final String PASSWORD = "changeit";

    private Certificates() {
    }

    /** Adds a self-signed EC key and certificate for {@code dnsName} under {@code alias} to a PKCS12 store. */
    static void addToKeyStore(Path store, String alias, String dnsName) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
    }

    /** Writes a self-signed certificate and its PKCS#8 key for {@code dnsName} as PEM files. */
    static void writePem(Path certificate, Path key, String dnsName) throws Exception {
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=" + dnsName, "-addext", "subjectAltName=DNS:" + dnsName));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + output);
        }
    }
}
