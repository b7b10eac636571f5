package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.tls.CertificateReloader;
import java.security.KeyStore;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one TLS listener's certificates in step with its files. Every watch interval the server's
 * scheduler hands a look at the files to the thread pool (reading files blocks; neither the
 * scheduler's thread nor an event loop does it); when their contents changed, and stayed as they
 * are for one more interval (so that a certificate and a key replaced one after the other are
 * taken together), they are loaded again with the checks made at start-up and swapped into the listener's {@link SslContextFactory}
 * with {@link SslContextFactory#reload}: handshakes from then on get the new certificates, open
 * connections keep the TLS session they have. A file that cannot be loaded keeps the certificates
 * in use and is logged once at WARN, naming the file and the reason.
 *
 * <p>The files are polled rather than watched with the JDK's {@code WatchService}: that watches
 * directories, not files, misses a symbolic link switched to another target (Kubernetes secret
 * volumes, certbot's {@code live/} links), and polls anyway on macOS; a digest of a few small files
 * every ten seconds costs nothing and sees every kind of replacement.
 */
final class CertificateWatcher extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);

    private final String host;
    private final IntSupplier port;
    private final CertificateReloader reloader;
    private final SslContextFactory.Server ssl;
    private final Scheduler scheduler;
    private final Executor threads;
    private volatile Scheduler.@Nullable Task next;
    /** What the listener's factory holds; read and written under this object's lock. */
    private TlsConfig served;

    CertificateWatcher(String host, IntSupplier port, TlsConfig tls, SslContextFactory.Server ssl, Scheduler scheduler,
            Executor threads) {
        this.host = host;
        this.port = port;
        this.reloader = new CertificateReloader(tls);
        this.served = tls;
        this.ssl = ssl;
        this.scheduler = scheduler;
        this.threads = threads;
    }

    /** The listener, as {@code host:port} with the port it is bound to. */
    private String listener() {
        return host + ":" + port.getAsInt();
    }

    @Override
    protected void doStart() {
        if (reloader.current().watch()) {
            schedule();
        }
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * Loads the files now, changed or not, on the calling thread.
     *
     * @throws IllegalArgumentException naming the file and the reason, when it cannot be loaded; the
     *     certificates in use stay
     */
    synchronized void reloadNow() {
        CertificateReloader.Outcome outcome = reloader.reloadNow();
        apply(outcome);
        if (outcome instanceof CertificateReloader.Failed failed) {
            throw new IllegalArgumentException(failed.reason(), failed.cause());
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = scheduler.schedule(this::lookInPool, reloader.current().watchInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lookInPool() {
        try {
            threads.execute(this::look);
        } catch (RejectedExecutionException e) {
            // The server is stopping.
        }
    }

    private void look() {
        try {
            synchronized (this) {
                // A look and an API reload, one at a time: the factory gets the newest outcome last.
                apply(reloader.checkForChanges());
            }
        } catch (RuntimeException e) {
            LOG.warn("tls listener {}: could not look at its certificate files {}", listener(), reloader.current().files(), e);
        } finally {
            schedule();
        }
    }

    private void apply(CertificateReloader.Outcome outcome) {
        if (outcome instanceof CertificateReloader.Reloaded reloaded) {
            swap(reloaded.tls());
        } else if (outcome instanceof CertificateReloader.Failed failed) {
            LOG.warn("tls listener {}: certificates not reloaded, keeping the ones in use: {}", listener(), failed.reason());
        }
    }

    /** Called with certificates already checked, so Jetty's load cannot fail on them. */
    private synchronized void swap(TlsConfig tls) {
        TlsConfig previous = served;
        try {
            ssl.reload(factory -> use(factory, tls.keyStore(), tls.keyPassword()));
        } catch (Exception e) {
            LOG.warn("tls listener {}: certificates from {} not taken by the listener, keeping the ones in use",
                    listener(), tls.files(), e);
            try {
                ssl.reload(factory -> use(factory, previous.keyStore(), previous.keyPassword()));
            } catch (Exception again) {
                LOG.warn("tls listener {}: the certificates in use could not be restored", listener(), again);
            }
            return;
        }
        served = tls;
        LOG.info("tls listener {}: certificates reloaded from {}", listener(), tls.files());
    }

    /** Every TlsConfig's in-memory store has the same password. */
    private static void use(SslContextFactory factory, KeyStore store, char[] password) {
        String text = new String(password);
        factory.setKeyStore(store);
        factory.setKeyStorePassword(text);
        if (factory instanceof SslContextFactory.Server server) {
            server.setKeyManagerPassword(text);
        }
    }
}
