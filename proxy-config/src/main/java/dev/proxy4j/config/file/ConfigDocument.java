package dev.proxy4j.config.file;

import dev.proxy4j.config.ProxyConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file as read and validated: its tree of mappings, lists and scalars (what
 * {@link ConfigFile#toYaml(ConfigDocument)} writes back), and the {@link ProxyConfig} it describes.
 * Immutable; making one validates every field.
 */
public final class ConfigDocument {

    private final Map<String, Object> tree;
    private final ProxyConfig proxyConfig;
    private final boolean accessLog;

    private ConfigDocument(Map<String, Object> tree, ProxyConfig proxyConfig, boolean accessLog) {
        this.tree = tree;
        this.proxyConfig = proxyConfig;
        this.accessLog = accessLog;
    }

    /**
     * A document from a tree of {@code Map<String, ?>}, {@code List<?>}, strings, numbers and
     * booleans, as a YAML parser makes or a program builds.
     *
     * @param baseDirectory certificate and key files named with relative paths are looked up here
     * @throws ConfigException naming the field, its value and what was expected
     */
    public static ConfigDocument of(Map<String, ?> tree, Path baseDirectory) {
        Map<String, Object> copy = copyMap(tree);
        Value root = new Value("", copy);
        ProxyConfig config = ProxyConfigReader.read(root, baseDirectory);
        Object accessLog = copy.getOrDefault("accessLog", Boolean.TRUE);
        return new ConfigDocument(copy, config, (Boolean) accessLog);
    }

    /** The tree, unmodifiable, in the order of the file. */
    public Map<String, Object> tree() {
        return tree;
    }

    /**
     * The configuration this document describes. Named upstreams are built once: every route that
     * names one holds the same {@code Upstream}.
     */
    public ProxyConfig proxyConfig() {
        return proxyConfig;
    }

    /** {@code accessLog} (default true): one line per request; the same as {@link ProxyConfig#accessLog()}. */
    public boolean accessLog() {
        return accessLog;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigDocument d && d.tree.equals(tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigDocument" + tree;
    }

    private static Map<String, Object> copyMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copyMap(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigDocument::copyValue).toList();
        }
        return value;
    }
}
