package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real key material, made once with the JDK's keytool and with openssl. */
class TlsConfigTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static Path twoEntryStore;
    private static Path jksStore;
    private static Path pemCertificate;
    private static Path pemKey;
    private static Path pkcs1Key;
    private static Path sec1EcKey;

    @BeforeAll
    static void makeKeyMaterial() throws Exception {
        twoEntryStore = dir.resolve("two.p12");
        keytool("-genkeypair", "-alias", "a", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=a.example",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", twoEntryStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-genkeypair", "-alias", "b", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=b.example",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", twoEntryStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        jksStore = dir.resolve("one.jks");
        keytool("-genkeypair", "-alias", "j", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=j.example",
                "-validity", "2", "-storetype", "JKS", "-keystore", jksStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);

        pemCertificate = dir.resolve("cert.pem");
        pemKey = dir.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pemKey.toString(), "-out", pemCertificate.toString(), "-days", "2", "-subj", "/CN=pem.example");
        pkcs1Key = dir.resolve("rsa-pkcs1.pem");
        run("openssl", "genrsa", "-traditional", "-out", pkcs1Key.toString(), "2048");
        sec1EcKey = dir.resolve("ec-sec1.pem");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1EcKey.toString());
    }

    @Test
    void twoKeyStoreEntriesAndOnePemAreThreeKeyEntries() throws Exception {
        TlsConfig tls = TlsConfig.builder()
                .keyStore(twoEntryStore, PASSWORD)
                .pem(pemCertificate, pemKey)
                .build();

        KeyStore store = tls.keyStore();
        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(3);
        List<String> subjects = new ArrayList<>();
        for (String alias : aliases) {
            assertThat(store.isKeyEntry(alias)).as(alias).isTrue();
            assertThat(store.getKey(alias, tls.keyPassword())).isInstanceOf(PrivateKey.class);
            subjects.add(((X509Certificate) store.getCertificate(alias)).getSubjectX500Principal().getName());
        }
        assertThat(subjects).containsExactlyInAnyOrder("CN=a.example", "CN=b.example", "CN=pem.example");
    }

    @Test
    void aJksStoreIsReadByItsExtension() throws Exception {
        TlsConfig tls = TlsConfig.builder().keyStore(jksStore, PASSWORD).build();

        assertThat(tls.keyStore().size()).isEqualTo(1);
    }

    @Test
    void keyPasswordHandsOutACopy() {
        TlsConfig tls = TlsConfig.builder().pem(pemCertificate, pemKey).build();

        char[] password = tls.keyPassword();
        java.util.Arrays.fill(password, 'x');

        assertThat(tls.keyPassword()).isNotEqualTo(password);
    }

    @Test
    void printsItsSourcesButNoSecrets() {
        TlsConfig tls = TlsConfig.builder().keyStore(twoEntryStore, PASSWORD).pem(pemCertificate, pemKey).build();

        assertThat(tls).hasToString("TlsConfig[" + twoEntryStore + ", " + pemCertificate + "+" + pemKey + "]");
    }

    @Test
    void failsWithoutACertificate() {
        assertThatThrownBy(() -> TlsConfig.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tls: no certificate (expected: keyStore(...) or pem(...))");
    }

    @Test
    void aMissingKeyStoreFailsNamingTheFile() {
        Path missing = dir.resolve("missing.p12");

        assertThatThrownBy(() -> TlsConfig.builder().keyStore(missing, PASSWORD).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls keyStore: " + missing
                        + " (expected: a readable PKCS12 key store with the given password: " + missing + ")");
    }

    @Test
    void aWrongKeyStorePasswordFailsNamingTheFile() {
        assertThatThrownBy(() -> TlsConfig.builder().keyStore(twoEntryStore, "wrong").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tls keyStore: " + twoEntryStore
                        + " (expected: a readable PKCS12 key store with the given password: ");
    }

    @Test
    void aKeyStoreWithoutPrivateKeysFails() throws Exception {
        Path certificatesOnly = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "c", "-file", pemCertificate.toString(),
                "-storetype", "PKCS12", "-keystore", certificatesOnly.toString(), "-storepass", PASSWORD);

        assertThatThrownBy(() -> TlsConfig.builder().keyStore(certificatesOnly, PASSWORD).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls keyStore: " + certificatesOnly + " (expected: at least one private key entry)");
    }

    @Test
    void aPkcs1RsaKeyFailsWithHowToConvertIt() {
        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, pkcs1Key).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + pkcs1Key + " (expected: an unencrypted PKCS#8 key, BEGIN PRIVATE KEY;"
                        + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
    }

    @Test
    void aSec1EcKeyFailsWithHowToConvertIt() {
        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, sec1EcKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + sec1EcKey + " (expected: an unencrypted PKCS#8 key, BEGIN PRIVATE KEY;"
                        + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
    }

    @Test
    void aKeyFileWithoutAPemBlockFails() throws IOException {
        Path notPem = Files.writeString(dir.resolve("not-pem.key"), "just some text\n");

        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, notPem).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + notPem + " (expected: a PEM block BEGIN PRIVATE KEY)");
    }

    @Test
    void aPemBlockWithBrokenBase64Fails() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken-base64.pem"),
                "-----BEGIN PRIVATE KEY-----\n!!not base64!!\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, broken).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + broken + " (expected: valid base64 in the PEM block)");
    }

    @Test
    void aPemBlockThatIsNoKeyFails() throws IOException {
        Path unparseable = Files.writeString(dir.resolve("unparseable.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, unparseable).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + unparseable + " (expected: an RSA, EC or EdDSA PKCS#8 private key)");
    }

    @Test
    void aMissingKeyFileFailsNamingIt() {
        Path missing = dir.resolve("missing-key.pem");

        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + missing + " (expected: a readable PEM file: " + missing + ")");
    }

    @Test
    void anEmptyCertificateFileFails() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> TlsConfig.builder().pem(empty, pemKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls certificate: " + empty + " (expected: at least one certificate)");
    }

    @Test
    void anUnparseableCertificateFileFailsNamingIt() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "garbage\n");

        assertThatThrownBy(() -> TlsConfig.builder().pem(garbage, pemKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tls certificate: " + garbage + " (expected: a readable PEM certificate chain: ");
    }

    @Test
    void aPemKeyOfAnotherCertificateFailsNamingBothFiles() throws Exception {
        Path otherCertificate = dir.resolve("other.pem");
        Path otherKey = dir.resolve("other.key");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", otherKey.toString(),
                "-out", otherCertificate.toString(), "-days", "2", "-subj", "/CN=other.example");

        assertThatThrownBy(() -> TlsConfig.builder().pem(pemCertificate, otherKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls private key: " + otherKey + " (expected: the key of the certificate in "
                        + pemCertificate + "; it belongs to another certificate)");
        assertThat(TlsConfig.builder().pem(otherCertificate, otherKey).build().keyStore().size()).isEqualTo(1);
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        run(command.toArray(new String[0]));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + output);
        }
    }
}
