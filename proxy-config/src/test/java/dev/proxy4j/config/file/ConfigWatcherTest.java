package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

    private static String file(int backendPort) {
        return "listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:" + backendPort + "}]\n";
    }

    private static String endpoint(ProxyConfig config) {
        return config.routes().routes().get(0).upstream().orElseThrow().endpoints().get(0).toString();
    }

    @Test
    void appliesTheFileWhenItIsRewrittenOrReplacedByRename(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("proxy4j.yaml");
        Files.writeString(path, file(9000));
        BlockingQueue<ProxyConfig> applied = new LinkedBlockingQueue<>();
        try (ConfigWatcher watcher = ConfigWatcher.start(path, applied::add, Duration.ofMillis(50))) {
            Files.writeString(path, file(9001));
            assertThat(endpoint(applied.poll(10, TimeUnit.SECONDS))).isEqualTo("http://127.0.0.1:9001");

            Path next = dir.resolve(".proxy4j.yaml.tmp");
            Files.writeString(next, file(9002));
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(endpoint(applied.poll(10, TimeUnit.SECONDS))).isEqualTo("http://127.0.0.1:9002");
        }
    }

    @Test
    void doesNotApplyAFileThatFailsValidationNorOneWhoseBytesDidNotChange(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("proxy4j.yaml");
        Files.writeString(path, file(9000));
        BlockingQueue<ProxyConfig> applied = new LinkedBlockingQueue<>();
        try (ConfigWatcher watcher = ConfigWatcher.start(path, applied::add, Duration.ofMillis(50))) {
            Files.writeString(path, file(9000).replace("http://", "htp://"));
            Files.writeString(dir.resolve("unrelated.txt"), "x");
            Files.writeString(path, file(9000).replace("http://", "htp://"));
            assertThat(applied.poll(1, TimeUnit.SECONDS)).isNull();

            Files.writeString(path, file(9003));
            assertThat(endpoint(applied.poll(10, TimeUnit.SECONDS))).isEqualTo("http://127.0.0.1:9003");
            assertThat(applied.poll(500, TimeUnit.MILLISECONDS)).as("applied once").isNull();
        }
    }

    @Test
    void reloadNowAppliesTheFileEvenIfUnchangedAndARefusalByApplyKeepsTheWatcherRunning(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("proxy4j.yaml");
        Files.writeString(path, file(9000));
        BlockingQueue<ProxyConfig> applied = new LinkedBlockingQueue<>();
        List<Boolean> refuse = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(true));
        try (ConfigWatcher watcher = ConfigWatcher.start(path, config -> {
            if (!refuse.isEmpty()) {
                refuse.clear();
                throw new IllegalArgumentException("listeners: changed (expected: the listeners the proxy started with)");
            }
            applied.add(config);
        }, Duration.ofMillis(50))) {
            watcher.reloadNow();
            assertThat(applied.poll(1, TimeUnit.SECONDS)).as("refused by apply").isNull();
            watcher.reloadNow();
            assertThat(endpoint(applied.poll(10, TimeUnit.SECONDS))).isEqualTo("http://127.0.0.1:9000");
        }
    }
}
