package dev.proxy4j.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * TLS for a listener: one or more certificates, each with its private key. With several, the one
 * whose names match the client's SNI is served; when none matches, or the client sent no SNI, the
 * JDK's key manager picks one of them. Protocols are TLS 1.2 and 1.3; ALPN offers h2 and http/1.1.
 *
 * <p>Certificates come from PKCS12 or JKS key stores, or from PEM files (a certificate chain and a
 * PKCS#8 private key). Everything is loaded and checked in {@link Builder#build()}, so a wrong
 * password or a missing file fails at configuration time, naming the file.
 *
 * <p>A running proxy watches the files (every {@link #DEFAULT_WATCH_INTERVAL} unless changed) and
 * loads them again when their contents change: new handshakes get the new certificates, open
 * connections keep theirs. {@link #reloaded()} is that second load, with the same checks.
 */
public final class TlsConfig {

    /** Protocols offered; older ones are insecure. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** How often a running proxy looks for changed certificate files. */
    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(10);

    private final KeyStore keyStore;
    private final char[] keyPassword;
    private final List<Source> sources;
    private final boolean watch;
    private final Duration watchInterval;

    private TlsConfig(KeyStore keyStore, char[] keyPassword, List<Source> sources, boolean watch, Duration watchInterval) {
        this.keyStore = keyStore;
        this.keyPassword = keyPassword;
        this.sources = sources;
        this.watch = watch;
        this.watchInterval = watchInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All certificates in one in-memory PKCS12 store, one alias each. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of every key in {@link #keyStore()}. */
    public char[] keyPassword() {
        return keyPassword.clone();
    }

    /** Whether a running proxy watches {@link #files()} and reloads them when they change (true by default). */
    public boolean watch() {
        return watch;
    }

    /** How often the files are looked at while {@link #watch()} is on. */
    public Duration watchInterval() {
        return watchInterval;
    }

    /** Every file the certificates are read from: key stores, certificate chains, private keys. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Source source : sources) {
            files.add(source.first());
            if (source.key() != null) {
                files.add(source.key());
            }
        }
        return Collections.unmodifiableList(files);
    }

    /**
     * The same files read again, with the checks of {@link Builder#build()} (each key against its
     * certificate); blocking file I/O, never on an event loop.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it; this
     *     configuration is unchanged
     */
    public TlsConfig reloaded() {
        return build(sources, watch, watchInterval);
    }

    @Override
    public String toString() {
        return "TlsConfig" + sources;
    }

    private static TlsConfig build(List<Source> sources, boolean watch, Duration watchInterval) {
        char[] password = StorePassword.PASSWORD;
        try {
            KeyStore combined = KeyStore.getInstance("PKCS12");
            combined.load(null, null);
            int alias = 0;
            for (Source source : sources) {
                for (Entry entry : source.load()) {
                    combined.setKeyEntry("cert" + alias++, entry.key(), password, entry.chain());
                }
            }
            return new TlsConfig(combined, password, sources, watch, watchInterval);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("tls: cannot build the key store: " + e.getMessage(), e);
        }
    }

    /** Builds a {@link TlsConfig}; call {@code keyStore} or {@code pem} once per certificate. */
    public static final class Builder {
        private final List<Source> sources = new ArrayList<>();
        private boolean watch = true;
        private Duration watchInterval = DEFAULT_WATCH_INTERVAL;

        private Builder() {
        }

        /**
         * Whether a running proxy watches the files and loads them again when they change (true
         * by default); {@code ProxyServer.reloadCertificates()} reloads them either way.
         */
        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        /** How often the files are looked at ({@link #DEFAULT_WATCH_INTERVAL}); turns watching on. */
        public Builder watchInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("tls watchInterval: " + interval + " (expected: positive)");
            }
            this.watchInterval = interval;
            this.watch = true;
            return this;
        }

        /** A PKCS12 ({@code .p12}, {@code .pfx}) or JKS ({@code .jks}) store; every key entry in it is served. */
        public Builder keyStore(Path path, String password) {
            sources.add(new Source(Objects.requireNonNull(path, "path"), null, Objects.requireNonNull(password, "password")));
            return this;
        }

        /** A PEM certificate chain (leaf first) and its PEM PKCS#8 private key (unencrypted). */
        public Builder pem(Path certificateChain, Path privateKey) {
            sources.add(new Source(Objects.requireNonNull(certificateChain, "certificateChain"),
                    Objects.requireNonNull(privateKey, "privateKey"), null));
            return this;
        }

        public TlsConfig build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException("tls: no certificate (expected: keyStore(...) or pem(...))");
            }
            return TlsConfig.build(List.copyOf(sources), watch, watchInterval);
        }
    }

    /** The password of the in-memory store; it never leaves the process. */
    private static final class StorePassword {
        static final char[] PASSWORD = "proxy4j".toCharArray();
    }

    private record Entry(PrivateKey key, Certificate[] chain) {
    }

    private record Source(Path first, Path key, String password) {

        List<Entry> load() {
            return key == null ? loadKeyStore() : List.of(loadPem());
        }

        private List<Entry> loadKeyStore() {
            String name = first.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
            List<Entry> entries = new ArrayList<>();
            try (InputStream in = Files.newInputStream(first)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, password.toCharArray());
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        PrivateKey privateKey = (PrivateKey) store.getKey(alias, password.toCharArray());
                        Certificate[] chain = store.getCertificateChain(alias);
                        if (chain == null || chain.length == 0 || !KeyPairs.match(privateKey, chain[0].getPublicKey())) {
                            throw new IllegalArgumentException("tls keyStore: " + first + " entry " + alias
                                    + " (expected: a private key with its own certificate; the key does not match it)");
                        }
                        entries.add(new Entry(privateKey, chain));
                    }
                }
            } catch (IOException | GeneralSecurityException | ClassCastException e) {
                throw new IllegalArgumentException("tls keyStore: " + first + " (expected: a readable " + type
                        + " key store with the given password: " + e.getMessage() + ")", e);
            }
            if (entries.isEmpty()) {
                throw new IllegalArgumentException(
                        "tls keyStore: " + first + " (expected: at least one private key entry)");
            }
            return entries;
        }

        private Entry loadPem() {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(first)) {
                Collection<? extends Certificate> certificates =
                        CertificateFactory.getInstance("X.509").generateCertificates(in);
                chain = certificates.toArray(new Certificate[0]);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("tls certificate: " + first
                        + " (expected: a readable PEM certificate chain: " + e.getMessage() + ")", e);
            }
            if (chain.length == 0) {
                throw new IllegalArgumentException("tls certificate: " + first + " (expected: at least one certificate)");
            }
            PrivateKey privateKey = readPrivateKey(key);
            if (!KeyPairs.match(privateKey, chain[0].getPublicKey())) {
                throw new IllegalArgumentException("tls private key: " + key + " (expected: the key of the certificate in "
                        + first + "; it belongs to another certificate)");
            }
            return new Entry(privateKey, chain);
        }

        private static PrivateKey readPrivateKey(Path path) {
            String pem;
            try {
                pem = Files.readString(path, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "tls private key: " + path + " (expected: a readable PEM file: " + e.getMessage() + ")", e);
            }
            if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")
                    || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                throw new IllegalArgumentException("tls private key: " + path + " (expected: an unencrypted PKCS#8 key,"
                        + " BEGIN PRIVATE KEY; convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
            }
            int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
            int end = pem.indexOf("-----END PRIVATE KEY-----");
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException(
                        "tls private key: " + path + " (expected: a PEM block BEGIN PRIVATE KEY)");
            }
            String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls private key: " + path + " (expected: valid base64 in the PEM block)", e);
            }
            for (String algorithm : Set.of("RSA", "EC", "Ed25519", "Ed448")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw new IllegalArgumentException(
                    "tls private key: " + path + " (expected: an RSA, EC or EdDSA PKCS#8 private key)");
        }

        @Override
        public String toString() {
            return key == null ? first.toString() : first + "+" + key;
        }
    }
}
