package dev.proxy4j.jetty.internal;

import dev.proxy4j.compress.Compression;
import dev.proxy4j.compress.Encoding;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.route.Route;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.compression.EncoderConfig;
import org.eclipse.jetty.compression.EncoderSink;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoders of Jetty's compression modules, one per encoding, each registered by its class (not
 * found by ServiceLoader, which would skip one whose native library fails to load, saying so only
 * at DEBUG). An encoding is loaded the first time a configuration offers it, and proved by
 * compressing a few bytes (zstd-jni and brotli4j load their native code on first use): a
 * configuration offering one that cannot be loaded is refused with the artifact to add.
 */
final class Encoders {

    private static final Logger LOG = LoggerFactory.getLogger(Encoders.class);

    private final ByteBufferPool buffers;
    private final Map<Encoding, org.eclipse.jetty.compression.Compression> loaded = new EnumMap<>(Encoding.class);
    /** Encoder settings per encoding and level, made once. */
    private final Map<Encoding, Map<Integer, EncoderConfig>> configs = new EnumMap<>(Encoding.class);
    /** What {@link #sink} reads without a lock: copies of the two maps, published after each load. */
    private volatile Map<Encoding, org.eclipse.jetty.compression.Compression> loadedView = Map.of();
    private volatile Map<Encoding, Map<Integer, EncoderConfig>> configsView = Map.of();

    Encoders(ByteBufferPool buffers) {
        this.buffers = buffers;
    }

    /**
     * Loads every encoding {@code config} offers, server-wide or on a route.
     *
     * @throws IllegalStateException naming the first that cannot be loaded, and why
     */
    synchronized void load(ProxyConfig config) {
        Set<Encoding> wanted = EnumSet.noneOf(Encoding.class);
        Map<Encoding, Set<Integer>> levels = new EnumMap<>(Encoding.class);
        collect(config.compression(), wanted, levels);
        for (Route route : config.routes().routes()) {
            route.compression().ifPresent(compression -> collect(compression, wanted, levels));
        }
        for (Encoding encoding : wanted) {
            org.eclipse.jetty.compression.Compression compression = loaded.get(encoding);
            if (compression == null) {
                compression = create(encoding);
                loaded.put(encoding, compression);
            }
            for (int level : levels.get(encoding)) {
                configs.computeIfAbsent(encoding, e -> new HashMap<>())
                        .computeIfAbsent(level, l -> encoderConfig(encoding, l));
            }
        }
        Map<Encoding, Map<Integer, EncoderConfig>> view = new EnumMap<>(Encoding.class);
        configs.forEach((encoding, byLevel) -> view.put(encoding, Map.copyOf(byLevel)));
        configsView = view;
        loadedView = new EnumMap<>(loaded);
    }

    private static void collect(Compression compression, Set<Encoding> wanted, Map<Encoding, Set<Integer>> levels) {
        for (Encoding encoding : compression.encodings()) {
            wanted.add(encoding);
            levels.computeIfAbsent(encoding, e -> new java.util.HashSet<>()).add(compression.level(encoding));
        }
    }

    /** A sink that compresses what it is given into {@code to}; the encoding and level were loaded. */
    EncoderSink sink(Encoding encoding, int level, Content.Sink to) {
        org.eclipse.jetty.compression.Compression compression = loadedView.get(encoding);
        EncoderConfig config = configsView.getOrDefault(encoding, Map.of()).get(level);
        if (compression == null || config == null) {
            throw new IllegalStateException(encoding + " level " + level + " was not loaded");
        }
        return compression.newEncoderSink(to, config);
    }

    private org.eclipse.jetty.compression.Compression create(Encoding encoding) {
        org.eclipse.jetty.compression.Compression compression;
        try {
            compression = switch (encoding) {
                case GZIP -> new org.eclipse.jetty.compression.gzip.GzipCompression();
                case BROTLI -> Brotli.create();
                case ZSTD -> Zstd.create();
            };
            compression.setByteBufferPool(buffers);
            compression.start();
            probe(compression, encoderConfig(encoding, Compression.DEFAULT_LEVELS.get(encoding)));
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("compression: " + encoding + " cannot be loaded (" + e
                    + "); add " + artifact(encoding) + " to the class path, or leave " + encoding
                    + " out of the encodings", e);
        }
        LOG.debug("compression: {} loaded ({})", encoding, compression);
        return compression;
    }

    private static EncoderConfig encoderConfig(Encoding encoding, int level) {
        EncoderConfig config = switch (encoding) {
            case GZIP -> new org.eclipse.jetty.compression.gzip.GzipEncoderConfig();
            case BROTLI -> Brotli.config();
            case ZSTD -> Zstd.config();
        };
        config.setCompressionLevel(level);
        return config;
    }

    /** Compresses a few bytes: a native library that cannot load fails here, not on a client's response. */
    private static void probe(org.eclipse.jetty.compression.Compression compression, EncoderConfig config) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compression.newEncoderOutputStream(bytes, config)) {
            out.write("proxy4j compression probe".getBytes(StandardCharsets.US_ASCII));
        }
        if (bytes.size() == 0) {
            throw new IllegalStateException("the encoder wrote nothing");
        }
    }

    private static String artifact(Encoding encoding) {
        return switch (encoding) {
            case GZIP -> "org.eclipse.jetty.compression:jetty-compression-gzip";
            case BROTLI -> "org.eclipse.jetty.compression:jetty-compression-brotli (with brotli4j's native jar for this platform)";
            case ZSTD -> "org.eclipse.jetty.compression:jetty-compression-zstandard";
        };
    }

    /** Apart, so that the optional brotli module's classes are only touched when brotli is offered. */
    private static final class Brotli {
        static org.eclipse.jetty.compression.Compression create() {
            return new org.eclipse.jetty.compression.brotli.BrotliCompression();
        }

        static EncoderConfig config() {
            return new org.eclipse.jetty.compression.brotli.BrotliEncoderConfig();
        }
    }

    /** Apart, so that the optional zstd module's classes are only touched when zstd is offered. */
    private static final class Zstd {
        static org.eclipse.jetty.compression.Compression create() {
            return new org.eclipse.jetty.compression.zstandard.ZstandardCompression();
        }

        static EncoderConfig config() {
            return new org.eclipse.jetty.compression.zstandard.ZstandardEncoderConfig();
        }
    }
}
