package dev.proxy4j.config.file;

import dev.proxy4j.config.ProxyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a config file when it changes, or when {@link #reloadNow()} is called (the launcher calls
 * it on SIGHUP), and hands each new, valid configuration to {@code apply} (typically
 * {@code proxy::reconfigure}).
 *
 * <p>It watches the file's directory, not the file, because editors and deploy tools often replace
 * a file by renaming another over it (and Kubernetes swaps a symlink); any change there is followed
 * by a quiet period ({@link #DEFAULT_DEBOUNCE}) and a read of the file, and a file whose bytes did not
 * change is not applied again. Reloads run on this watcher's own thread, one at a time.
 *
 * <p>A file that fails to parse or validate, or a configuration {@code apply} refuses with an
 * {@link IllegalArgumentException} or {@link IllegalStateException}, is logged as one WARN line,
 * {@code config reload refused: <field>: <value> (expected: ...)}, and the proxy keeps the
 * configuration it has.
 */
public final class ConfigWatcher implements AutoCloseable {

    /** How long the directory must be quiet after a change before the file is read. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

    /** How often the thread checks for a {@link #reloadNow()} request while the directory is quiet. */
    private static final long REQUEST_CHECK_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Consumer<ProxyConfig> apply;
    private final Duration debounce;
    private final WatchService watchService;
    private final Thread thread;
    private final AtomicBoolean reloadRequested = new AtomicBoolean();
    private volatile boolean closed;
    private byte @Nullable [] applied;

    private ConfigWatcher(Path file, byte @Nullable [] current, Consumer<ProxyConfig> apply, Duration debounce)
            throws IOException {
        this.file = file.toAbsolutePath();
        this.apply = apply;
        this.debounce = debounce;
        this.applied = current;
        Path directory = Objects.requireNonNull(this.file.getParent(), "file has no directory");
        this.watchService = FileSystems.getDefault().newWatchService();
        directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::loop, "proxy4j-config-reload");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code file}, whose present content is taken as applied already.
     *
     * @throws IOException when the file's directory cannot be watched
     */
    public static ConfigWatcher start(Path file, Consumer<ProxyConfig> apply) throws IOException {
        return start(file, apply, DEFAULT_DEBOUNCE);
    }

    public static ConfigWatcher start(Path file, Consumer<ProxyConfig> apply, Duration debounce) throws IOException {
        Objects.requireNonNull(apply, "apply");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce: " + debounce + " (expected: positive or zero)");
        }
        byte[] current = Files.exists(file) ? Files.readAllBytes(file) : null;
        ConfigWatcher watcher = new ConfigWatcher(file, current, apply, debounce);
        watcher.thread.start();
        return watcher;
    }

    /** Asks for a reload of the file even if it did not change; returns at once, the reload runs on the watcher's thread. */
    public void reloadNow() {
        reloadRequested.set(true);
    }

    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            log.warn("config watcher: closing the watch service failed: {}", e.toString());
        }
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                WatchKey key = watchService.poll(REQUEST_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                boolean changed = key != null;
                if (key != null) {
                    drain(key);
                    // Quiet period: a save that writes, renames or truncates in several steps is read once, complete.
                    while ((key = watchService.poll(Math.max(1, debounce.toMillis()), TimeUnit.MILLISECONDS)) != null) {
                        drain(key);
                    }
                }
                boolean requested = reloadRequested.getAndSet(false);
                if (changed || requested) {
                    reload(requested);
                }
            } catch (InterruptedException e) {
                return;
            } catch (ClosedWatchServiceException e) {
                return;
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    private void reload(boolean evenIfUnchanged) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            log.warn("config reload refused: {}: cannot read ({}) (expected: a readable file)", file, e.toString());
            return;
        }
        if (!evenIfUnchanged && Arrays.equals(bytes, applied)) {
            return;
        }
        try {
            Path directory = Objects.requireNonNull(file.getParent());
            ProxyConfig config = ConfigFile.parse(new String(bytes, StandardCharsets.UTF_8), directory).proxyConfig();
            apply.accept(config);
            applied = bytes;
            log.info("config reloaded from {}", file);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The one place that decides: the old configuration keeps serving.
            log.warn("config reload refused: {}", e.getMessage());
            applied = bytes;
        }
    }
}
