package dev.proxy4j.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PEM files made with openssl, swapped on disk as an operator (or certbot) would. */
class CertificateReloaderTest {

    @TempDir
    static Path keys;

    @TempDir
    Path served;

    private static Path firstCert;
    private static Path firstKey;
    private static Path secondCert;
    private static Path secondKey;

    @BeforeAll
    static void makeTwoCertificates() throws Exception {
        firstCert = keys.resolve("first.crt");
        firstKey = keys.resolve("first.key");
        secondCert = keys.resolve("second.crt");
        secondKey = keys.resolve("second.key");
        pem(firstCert, firstKey, "first.example");
        pem(secondCert, secondKey, "second.example");
    }

    @Test
    void unchangedFilesAreNotLoadedAgain() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        TlsConfig initial = reloader.current();

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Unchanged.class);
        assertThat(reloader.current()).isSameAs(initial);
    }

    @Test
    void aSwappedPairIsLoadedAndServedFromThen() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        replace(secondCert, secondKey);

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        CertificateReloader.Outcome outcome = reloader.checkForChanges();

        assertThat(outcome).isInstanceOf(CertificateReloader.Reloaded.class);
        assertThat(subject(((CertificateReloader.Reloaded) outcome).tls())).isEqualTo("CN=second.example");
        assertThat(subject(reloader.current())).isEqualTo("CN=second.example");
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Unchanged.class);
    }

    @Test
    void aKeyOfAnotherCertificateKeepsTheOldOneAndNamesTheFile() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        TlsConfig initial = reloader.current();
        Files.copy(secondCert, served.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        CertificateReloader.Outcome outcome = reloader.checkForChanges();

        assertThat(outcome).isInstanceOf(CertificateReloader.Failed.class);
        assertThat(((CertificateReloader.Failed) outcome).reason()).isEqualTo("tls private key: "
                + served.resolve("tls.key") + " (expected: the key of the certificate in "
                + served.resolve("tls.crt") + "; it belongs to another certificate)");
        assertThat(reloader.current()).isSameAs(initial);
        assertThat(subject(reloader.current())).isEqualTo("CN=first.example");
    }

    @Test
    void aFailedAttemptIsNotRepeatedUntilTheFilesChangeAgain() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        Files.writeString(served.resolve("tls.crt"), "not a certificate\n");

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Failed.class);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Unchanged.class);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Unchanged.class);

        replace(secondCert, secondKey);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Reloaded.class);
        assertThat(subject(reloader.current())).isEqualTo("CN=second.example");
    }

    @Test
    void aMissingFileKeepsTheOldOne() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        Files.delete(served.resolve("tls.key"));

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        CertificateReloader.Outcome outcome = reloader.checkForChanges();

        assertThat(outcome).isInstanceOf(CertificateReloader.Failed.class);
        assertThat(((CertificateReloader.Failed) outcome).reason())
                .startsWith("tls private key: " + served.resolve("tls.key") + " (expected: a readable PEM file: ");
        assertThat(subject(reloader.current())).isEqualTo("CN=first.example");
    }

    @Test
    void aPairReplacedOneFileAtATimeIsLoadedOnceBothHaveLanded() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        Files.copy(secondKey, served.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        Files.copy(secondCert, served.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Reloaded.class);

        assertThat(subject(reloader.current())).isEqualTo("CN=second.example");
    }

    @Test
    void filesPutBackAsTheyWereBeforeTheyAreLookedAtTwiceAreNotLoaded() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        TlsConfig initial = reloader.current();
        Files.writeString(served.resolve("tls.crt"), "half written");

        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Changing.class);
        replace(firstCert, firstKey);
        assertThat(reloader.checkForChanges()).isInstanceOf(CertificateReloader.Unchanged.class);
        assertThat(reloader.current()).isSameAs(initial);
    }

    @Test
    void reloadNowLoadsEvenUnchangedFiles() throws Exception {
        CertificateReloader reloader = new CertificateReloader(serving(firstCert, firstKey));
        TlsConfig initial = reloader.current();

        assertThat(reloader.reloadNow()).isInstanceOf(CertificateReloader.Reloaded.class);
        assertThat(reloader.current()).isNotSameAs(initial);
        assertThat(subject(reloader.current())).isEqualTo("CN=first.example");
    }

    @Test
    void aReloadKeepsTheWatchSettings() throws Exception {
        TlsConfig tls = TlsConfig.builder().pem(firstCert, firstKey).watchInterval(Duration.ofSeconds(3)).build();

        TlsConfig again = tls.reloaded();

        assertThat(again.watch()).isTrue();
        assertThat(again.watchInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(again.files()).containsExactly(firstCert, firstKey);
    }

    @Test
    void watchingIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(TlsConfig.builder().pem(firstCert, firstKey).build().watch()).isTrue();
        assertThat(TlsConfig.builder().pem(firstCert, firstKey).build().watchInterval())
                .isEqualTo(TlsConfig.DEFAULT_WATCH_INTERVAL);
        assertThat(TlsConfig.builder().pem(firstCert, firstKey).watch(false).build().watch()).isFalse();
    }

    @Test
    void aWatchIntervalMustBePositive() {
        assertThatThrownBy(() -> TlsConfig.builder().watchInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls watchInterval: PT0S (expected: positive)");
    }

    private TlsConfig serving(Path cert, Path key) throws Exception {
        replace(cert, key);
        return TlsConfig.builder().pem(served.resolve("tls.crt"), served.resolve("tls.key")).build();
    }

    /** Writes both files beside their final names and renames them into place, as certbot's hooks do. */
    private void replace(Path cert, Path key) throws Exception {
        Path crtTmp = served.resolve("tls.crt.tmp");
        Path keyTmp = served.resolve("tls.key.tmp");
        Files.copy(cert, crtTmp, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(key, keyTmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyTmp, served.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(crtTmp, served.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String subject(TlsConfig tls) throws Exception {
        KeyStore store = tls.keyStore();
        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(1);
        return ((X509Certificate) store.getCertificate(aliases.get(0))).getSubjectX500Principal().getName();
    }

    private static void pem(Path certificate, Path key, String name) throws Exception {
        Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-days", "2", "-subj", "/CN=" + name).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
    }
}
