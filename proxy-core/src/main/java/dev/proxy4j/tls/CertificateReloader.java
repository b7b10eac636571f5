package dev.proxy4j.tls;

import dev.proxy4j.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a listener's certificates are loaded again, and what it serves meanwhile. The files are
 * compared by contents (a SHA-256 over each file, in order), not by modification time, so a file
 * replaced within the same second, or through a symbolic link that now points elsewhere (a
 * Kubernetes secret volume, certbot's {@code live/} directory), is seen as changed.
 *
 * <ul>
 *   <li>{@link #checkForChanges()} loads the files again only when their contents differ from the
 *       last attempt and have stayed the same since the look before: a certificate and key replaced
 *       one after the other, or a file still being written, are loaded once both have landed rather
 *       than reported as a key of another certificate in between. A failed attempt is not repeated
 *       until the files change again, so a bad file is reported once, not at every look.
 *   <li>{@link #reloadNow()} loads them whatever they hold.
 *   <li>A failure (a missing or unreadable file, a wrong password, a key of another certificate)
 *       keeps {@link #current()} as it was and says why, naming the file.
 * </ul>
 *
 * <p>Reads files: call it from a thread that may block, never an event loop. Thread-safe.
 */
public final class CertificateReloader {

    /** What an attempt did. */
    public sealed interface Outcome {
    }

    /** The files hold what they held at the last attempt; nothing was loaded. */
    public record Unchanged() implements Outcome {
    }

    /** The files changed since the last look; they are loaded at the next look if they stay as they are. */
    public record Changing() implements Outcome {
    }

    /** The files were loaded: serve {@code tls} from now on. */
    public record Reloaded(TlsConfig tls) implements Outcome {
        public Reloaded {
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** The files could not be loaded; the certificates in use stay. {@code reason} names the file. */
    public record Failed(String reason, RuntimeException cause) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cause, "cause");
        }
    }

    private TlsConfig current;
    private byte[] lastAttempt;
    private byte @Nullable [] lastLook;

    public CertificateReloader(TlsConfig initial) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.lastAttempt = fingerprint(initial);
    }

    /** The certificates to serve: the initial ones, or those of the last successful load. */
    public synchronized TlsConfig current() {
        return current;
    }

    /** Loads the files again if their contents changed since the last attempt and not since the last look. */
    public synchronized Outcome checkForChanges() {
        byte[] now = fingerprint(current);
        byte[] before = lastLook;
        lastLook = now;
        if (Arrays.equals(now, lastAttempt)) {
            return new Unchanged();
        }
        if (!Arrays.equals(now, before)) {
            return new Changing();
        }
        return load(now);
    }

    /** Loads the files again, changed or not. */
    public synchronized Outcome reloadNow() {
        return load(fingerprint(current));
    }

    private Outcome load(byte[] fingerprint) {
        lastAttempt = fingerprint;
        try {
            current = current.reloaded();
            return new Reloaded(current);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Failed(String.valueOf(e.getMessage()), e);
        }
    }

    /** A digest of every file's path and contents; a missing or unreadable file counts as its own state. */
    static byte[] fingerprint(TlsConfig tls) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] buffer = new byte[8192];
        for (Path file : tls.files()) {
            digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                digest.update((byte) 1);
            } catch (NoSuchFileException e) {
                digest.update((byte) 2);
            } catch (IOException e) {
                digest.update((byte) 3);
                digest.update(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return digest.digest();
    }
}
