package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CertificateReloadExample}: {@code reload} on standard input reloads the files, a bad one is named. */
class CertificateReloadExampleTest {

    @TempDir
    Path dir;

    @Test
    void reloadTypedOnStandardInputReloadsTheListenerAndABadFileIsNamed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost").redirectErrorStream(true).start();
        String made = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(made).isTrue();
        Path badCert = dir.resolve("bad.pem");
        Files.writeString(badCert, "not a certificate\n");

        String good = run(cert, key, "reload\nstop\n");
        assertThat(good).contains("reloaded 1 TLS listener(s)");

        // Started on good files, then handed a bad certificate: the old one stays and the file is named.
        String output = runSwapping(cert, key, badCert);
        assertThat(output).contains("not reloaded: tls certificate: " + cert + " (expected: a readable PEM certificate chain: ");
    }

    private static String run(Path cert, Path key, String input) throws Exception {
        return withStandardStreams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                () -> CertificateReloadExample.main(new String[] {cert.toString(), key.toString(), "0"}));
    }

    /** Types reload once the certificate file has been overwritten with {@code bad}. */
    private static String runSwapping(Path cert, Path key, Path bad) throws Exception {
        InputStream input = new InputStream() {
            private final byte[] text = "reload\nstop\n".getBytes(StandardCharsets.UTF_8);
            private int next;

            @Override
            public int read() throws java.io.IOException {
                if (next == 0) {
                    Files.copy(bad, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return next < text.length ? text[next++] : -1;
            }
        };
        return withStandardStreams(input,
                () -> CertificateReloadExample.main(new String[] {cert.toString(), key.toString(), "0"}));
    }

    private interface Main {
        void run() throws Exception;
    }

    private static String withStandardStreams(InputStream in, Main main) throws Exception {
        InputStream originalIn = System.in;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setIn(in);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setIn(originalIn);
            System.setOut(originalOut);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
